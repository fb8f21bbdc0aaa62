/**
 * One recipient of a campaign as the ledger (`campaign_recipients`) knows it: an id that is no
 * personal data, a channel and a state. The ledger row per (campaign, channel, recipient) is what
 * makes every message single.
 *
 * Recipient ids: `address:<address uuid>` (a letter "Aan de bewoners van"),
 * `subscriber:<subscriber uuid>` (an e-mail; a fallback letter when it bounces and the
 * subscriber gave an address), `client:<pseudonym>` (a personal letter to a client of the
 * handover's transfers).
 */
export type RecipientChannel = 'letter' | 'email';
export type RecipientKind = 'address' | 'subscriber' | 'client';

/**
 * - e-mail: pending → sending (Message-ID fixed) → sent, or → bounced (permanent refusal);
 *   a temporary refusal puts it back to pending with one more attempt.
 * - letter: pending → batched (in a print file) → posted.
 * - skipped: the recipient's personal data was erased before its message went out.
 */
export type RecipientState = 'pending' | 'sending' | 'sent' | 'bounced' | 'batched' | 'posted' | 'skipped';

export const recipientIdOf = (kind: RecipientKind, id: string) => `${kind}:${id}`;

export function parseRecipientId(recipientId: string): { kind: RecipientKind; id: string } {
  const colon = recipientId.indexOf(':');
  const kind = recipientId.slice(0, colon);
  if (kind !== 'address' && kind !== 'subscriber' && kind !== 'client') throw new Error(`not a recipient id: kind ${kind}`);
  return { kind, id: recipientId.slice(colon + 1) };
}

/** At most this many letters in one print file. */
export const LETTERS_PER_BATCH = 1_000;
