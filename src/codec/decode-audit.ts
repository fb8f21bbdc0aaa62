import { randomUUID } from 'node:crypto';
import { actorOf, AuthenticatedUser } from '../auth/auth.types';
import type { Event, NewEvent } from '../events/event.types';

/** An operator saw decoded payloads: how many and of which namespace, never their content. */
export type PayloadsDecoded = Event<'PayloadsDecoded', { namespace: string; payloads: number }>;

/**
 * One stream per UTC day. The colon keeps it out of every municipality's verification scope
 * (organisation codes have none) and apart from the handovers' streams.
 */
export const decodeAuditStream = (at: Date) => `codec-decodes:${at.toISOString().slice(0, 10)}`;

export function payloadsDecoded(
  user: AuthenticatedUser,
  namespace: string,
  payloads: number,
  correlationId: string,
): NewEvent<PayloadsDecoded> {
  return {
    // Each decode is its own fact, never a repeat of another: a random id.
    eventId: randomUUID(),
    type: 'PayloadsDecoded',
    schemaVersion: 1,
    data: { namespace, payloads },
    metadata: { actor: actorOf(user), correlationId, causationId: null },
  };
}
