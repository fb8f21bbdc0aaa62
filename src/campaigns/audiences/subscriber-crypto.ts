import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Recognises a subscriber of one handover without storing the e-mail address:
 * HMAC-SHA256(HKDF(master, "subscriber-email-hash"), transitionId NUL lower-cased e-mail).
 * Deterministic per handover; another handover gets another hash for the same address.
 */
export function subscriberEmailHasher(master: Buffer, transitionId: string): (email: string) => Buffer {
  if (master.length !== 32) throw new Error('the master key must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'subscriber-email-hash', 32));
  const prefix = Buffer.from(`${transitionId}\0`, 'utf8');
  return (email) => createHmac('sha256', key).update(prefix).update(email.toLowerCase(), 'utf8').digest();
}

/** AADs: a wrapped key or sealed data moved to another subscriber's row does not open. */
export const SUBSCRIBER_AAD = {
  /** Passed to wrapKey as its "pseudonym": the AAD becomes `client-key:subscriber:<id>`. */
  keyOwner: (subscriberId: string) => `subscriber:${subscriberId}`,
  personal: (subscriberId: string) => `subscriber-personal:${subscriberId}`,
};
