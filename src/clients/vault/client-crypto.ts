import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The vault's cryptography, pure and synchronous (node:crypto only).
 *
 * - Every client has a data key of its own (`newDataKey`), stored only wrapped by the master
 *   key (`wrapKey`, AAD `client-key:<pseudonym>`, so a wrapped key moved to another client's row
 *   does not open).
 * - Personal data and files are sealed with the data key (`seal`), AAD `personal:<pseudonym>`
 *   or `file:<pseudonym>:<fileId>`.
 * - Both use AES-256-GCM with a random 12-byte IV: `version (1 byte) | iv (12) | tag (16) | ciphertext`.
 *   Tampering, a wrong key or a wrong AAD throws `SealError` (which names no value).
 * - Client numbers and import files are recognised by HMAC-SHA256 under keys derived from the
 *   master key (HKDF-SHA256, one `info` per use): without the master key the hashes cannot be
 *   recomputed from a guessed number.
 */

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const KEY_BYTES = 32;

/** A sealed value that cannot be opened: tampered, another key, another AAD or an unknown format. */
export class SealError extends Error {
  constructor(what: string) {
    super(`cannot open the ${what}: tampered with, or sealed with another key or for another purpose`);
    this.name = 'SealError';
  }
}

function requireKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new Error(`the ${what} must be ${KEY_BYTES} bytes`);
}

function encrypt(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), ciphertext]);
}

function decrypt(key: Buffer, aad: string, sealed: Buffer, what: string): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT_VERSION) throw new SealError(what);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new SealError(what);
  }
}

/** A new data key for one client: 32 random bytes. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** A new pseudonym: 20 lowercase hex characters, random, so it says nothing about the person. */
export function newPseudonym(): string {
  return randomBytes(10).toString('hex');
}

/** The client's data key, encrypted with the master key for that client only. */
export function wrapKey(master: Buffer, pseudonym: string, dataKey: Buffer): Buffer {
  requireKey(master, 'master key');
  requireKey(dataKey, 'data key');
  return encrypt(master, `client-key:${pseudonym}`, dataKey);
}

export function unwrapKey(master: Buffer, pseudonym: string, wrapped: Buffer): Buffer {
  requireKey(master, 'master key');
  const dataKey = decrypt(master, `client-key:${pseudonym}`, wrapped, 'client key');
  if (dataKey.length !== KEY_BYTES) throw new SealError('client key');
  return dataKey;
}

/** Encrypts with a client's data key; `aad` says what it is and whose (`personal:<pseudonym>`, `file:<pseudonym>:<fileId>`). */
export function seal(dataKey: Buffer, aad: string, plaintext: Buffer): Buffer {
  requireKey(dataKey, 'data key');
  return encrypt(dataKey, aad, plaintext);
}

export function open(dataKey: Buffer, aad: string, sealed: Buffer): Buffer {
  requireKey(dataKey, 'data key');
  return decrypt(dataKey, aad, sealed, 'sealed data');
}

function derivedKey(master: Buffer, info: string): Buffer {
  requireKey(master, 'master key');
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, KEY_BYTES));
}

/**
 * Recognises a client of one handover on a repeated import without storing the number:
 * HMAC-SHA256(HKDF(master, "client-number-hash"), transitionId NUL clientNumber).
 */
export function clientNumberHash(master: Buffer, transitionId: string, clientNumber: string): Buffer {
  return clientNumberHasher(master, transitionId)(clientNumber);
}

/** `clientNumberHash` for many numbers of one handover, deriving the key once. */
export function clientNumberHasher(master: Buffer, transitionId: string): (clientNumber: string) => Buffer {
  const key = derivedKey(master, 'client-number-hash');
  const prefix = Buffer.from(`${transitionId}\0`, 'utf8');
  return (clientNumber) => createHmac('sha256', key).update(prefix).update(clientNumber, 'utf8').digest();
}

/**
 * Recognises an identical import file of one handover (a re-import) without storing a plain
 * hash of personal data: HMAC-SHA256(HKDF(master, "client-import-file"), transitionId NUL bytes).
 */
export function fileHash(master: Buffer, transitionId: string, bytes: Buffer): Buffer {
  return createHmac('sha256', derivedKey(master, 'client-import-file'))
    .update(`${transitionId}\0`, 'utf8')
    .update(bytes)
    .digest();
}
