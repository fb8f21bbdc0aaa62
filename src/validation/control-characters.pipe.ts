import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Control characters no text we accept may hold: C0 controls except tab (U+0009) and line feed
 * (U+000A), carriage return (U+000D) unless it starts a CR LF line break, DEL (U+007F) and the
 * C1 controls (U+0080–U+009F). NUL is one of them.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The control-character rule said positively, as the API document states it for free text (a
 * JSON Schema `pattern`): no C0 control but tab and line feed, carriage return only in CR LF, no
 * DEL, no C1 control. Unpaired surrogates are refused too, but are not in the pattern: a string
 * of JSON Schema is Unicode text, which holds none, and common regex engines cannot name them.
 */
export const ACCEPTABLE_TEXT_PATTERN = /^(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\r\n)*$/u;

/** How many problems one answer lists; the rest are counted. */
const MAX_PROBLEMS = 20;

/** Whole paths are shown up to this length. */
const MAX_PATH = 200;

/**
 * A property name as a path shows it: a plain identifier of at most 40 characters (every name
 * a DTO declares is one) as it is, anything else as `*`, so a path never repeats a sentence, a
 * name or other text the caller put in a property name.
 */
const SHOWN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,39}$/;
export const shownName = (key: string) => (SHOWN_NAME.test(key) ? key : '*');

/** Why a string is refused, or null when it is acceptable text. */
export function textProblem(text: string): 'must not contain control characters' | 'must be valid Unicode text (no unpaired surrogates)' | null {
  if (CONTROL_CHARACTER.test(text)) return 'must not contain control characters';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode text (no unpaired surrogates)';
  return null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const shortened = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

/**
 * Every string in `value` (nested objects and arrays included, and property names) that is not
 * acceptable text, as messages naming where it is (`note`, `items.0.note`, `*` for a property
 * name that is no plain identifier) and never the text.
 * `name` is the value's own name (`@Body('note')`, `@Param('id')`), prefixing every path; without
 * one, paths start at the value's properties and `root` stands for the value itself.
 */
export function findUnacceptableText(value: unknown, name?: string, root = 'value'): string[] {
  const problems: string[] = [];
  // Iterative, so a deeply nested body cannot exhaust the stack.
  const pending: Array<{ value: unknown; path: string | null }> = [{ value, path: name ?? null }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push(`${shortened(path ?? root, MAX_PATH)} ${problem}`);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        pending.push({ value: current[index], path: `${path ?? root}.${index}` });
      }
    } else if (isPlainObject(current)) {
      const keys = Object.keys(current);
      if (keys.some((key) => textProblem(key) !== null)) {
        problems.push(`${shortened(path ?? root, MAX_PATH)} must not have property names with control characters or unpaired surrogates`);
      }
      for (const key of keys.reverse()) {
        if (textProblem(key) !== null) continue;
        pending.push({ value: current[key], path: path === null ? shownName(key) : `${path}.${shownName(key)}` });
      }
    }
  }
  return problems;
}

/**
 * Refuses, with 400, a body, query or path parameter holding a control character or an unpaired
 * surrogate in any string, wherever it is nested. Registered globally before the ValidationPipe,
 * so no DTO can forget it; it changes nothing it lets through.
 */
@Injectable()
export class RefuseControlCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const problems = findUnacceptableText(value, metadata.data, metadata.type);
    if (problems.length === 0) return value;
    const listed = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) listed.push(`and ${problems.length - MAX_PROBLEMS} more fields with the same problems`);
    throw new BadRequestException(listed);
  }
}
