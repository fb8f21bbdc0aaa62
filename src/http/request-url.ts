import { isUtf8 } from 'node:buffer';

/** Query parameter names shown in a refusal: a plain identifier, else the refusal says `query`. */
const SHOWN_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export const URL_NOT_ASCII = 'the URL must be ASCII, every other character percent-encoded as UTF-8';
export const PATH_NOT_UTF8 = 'path must be percent-encoded UTF-8 (no invalid, overlong or truncated byte sequences)';
const notUtf8 = (name: string) => `${name} must be percent-encoded UTF-8 (no invalid, overlong or truncated byte sequences)`;

/** The bytes a percent-encoded component stands for, or null when a `%` is not followed by two hex digits. */
function percentDecoded(component: string): Buffer | null {
  const bytes: number[] = [];
  for (let index = 0; index < component.length; index++) {
    const code = component.charCodeAt(index);
    if (code !== 0x25) {
      bytes.push(code);
      continue;
    }
    const hex = component.slice(index + 1, index + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    bytes.push(parseInt(hex, 16));
    index += 2;
  }
  return Buffer.from(bytes);
}

const isUtf8Text = (component: string) => {
  const bytes = percentDecoded(component);
  return bytes !== null && isUtf8(bytes);
};

/**
 * What is wrong with a request target (`/path?query`), as refusals naming the part and the rule,
 * never the value: characters outside printable ASCII, and path segments, query names or query
 * values whose percent-encoding is malformed or does not decode to valid UTF-8 (`%FF`, `%C3%28`,
 * the overlong `%C0%AF`, an encoded surrogate, a truncated sequence). Express would decode those
 * into replacement characters, or fail with a message repeating the input.
 */
export function requestTargetProblems(target: string): string[] {
  if (/[^\x21-\x7e]/.test(target)) return [URL_NOT_ASCII];
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
  const problems: string[] = [];
  if (!path.split('/').every(isUtf8Text)) problems.push(PATH_NOT_UTF8);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    if (!isUtf8Text(name)) {
      problems.push(notUtf8('query'));
      continue;
    }
    if (!isUtf8Text(value)) {
      const decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      problems.push(notUtf8(SHOWN_NAME.test(decoded) ? decoded : 'query'));
    }
  }
  return [...new Set(problems)];
}
