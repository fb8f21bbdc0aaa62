import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { RecordedEvent } from './event.types';

export type HashedFields = Omit<RecordedEvent, 'globalPosition' | 'hash'>;

/**
 * SHA-256 (hex) over the RFC 8785 canonical JSON of everything an event says, including the
 * hash of its stream's previous event: changing, removing or reordering any event breaks
 * every hash after it. The global position is left out: it is assigned by the database.
 */
export function eventHash(event: HashedFields): string {
  const canonical = canonicalize({
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
    previousHash: event.previousHash,
  });
  return createHash('sha256').update(canonical!, 'utf8').digest('hex');
}
