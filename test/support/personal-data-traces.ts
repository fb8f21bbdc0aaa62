import type { Payload } from '@temporalio/common';
import type { EncryptionCodec } from '../../src/temporal/encryption-codec';

/** A whole base64 string (at least one group of four): payload bytes, search attributes and memos in the CLI's JSON. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ENCRYPTED = 'binary/encrypted';

/**
 * Everything a reader of a JSON document could see in it: its keys and strings and, for each
 * string that is base64, what it decodes to (read as JSON again when it is). Bytes are read as
 * latin1, so an ASCII marker inside binary data still shows.
 */
export function readableText(value: unknown, depth = 0): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      parts.push(node);
      if (depth < 3 && BASE64.test(node)) {
        const decoded = Buffer.from(node, 'base64').toString('latin1');
        parts.push(decoded);
        try {
          parts.push(readableText(JSON.parse(decoded), depth + 1));
        } catch {
          // not JSON: the bytes as they are are enough
        }
      }
    } else if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        parts.push(key);
        walk(child);
      }
    } else if (node !== null && node !== undefined) {
      parts.push(String(node));
    }
  };
  walk(value);
  return parts.join('\n');
}

/**
 * Every payload in a history as the CLI prints it that the service's codec encrypted, decrypted
 * with `codec` (as a Codec Server would for someone holding the key): the inner payloads' data,
 * as text.
 */
export async function decryptedPayloads(value: unknown, codec: EncryptionCodec): Promise<string[]> {
  const sealed: Payload[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const { metadata, data } = node as { metadata?: Record<string, unknown>; data?: unknown };
    if (metadata && typeof metadata.encoding === 'string' && Buffer.from(metadata.encoding, 'base64').toString('utf8') === ENCRYPTED) {
      sealed.push({
        metadata: Object.fromEntries(Object.entries(metadata).map(([key, field]) => [key, Buffer.from(String(field), 'base64')])),
        data: Buffer.from(typeof data === 'string' ? data : '', 'base64'),
      });
      return;
    }
    Object.values(node).forEach(walk);
  };
  walk(value);
  const opened = await codec.decode(sealed);
  return opened.map((payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'));
}

/** Named strings that must appear nowhere: `foundIn(text)` says which of them a text holds. */
export class Traces {
  constructor(readonly traces: Readonly<Record<string, string>>) {}

  foundIn(text: string | Buffer): string[] {
    return Object.entries(this.traces)
      .filter(([, trace]) => text.includes(trace))
      .map(([name]) => name);
  }
}
