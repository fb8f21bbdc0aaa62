import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { RecordedEvent } from './event.types';

export type EventContent = Pick<
  RecordedEvent,
  'eventId' | 'streamId' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'recordedAt'
>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 (hex) of the RFC 8785 canonical JSON of what an event says. */
export function contentHash(event: EventContent): string {
  return sha256(
    canonicalize({
      eventId: event.eventId,
      streamId: event.streamId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt,
    })!,
  );
}

/**
 * An event's hash in its stream's chain: over the previous event's hash, its version and its
 * content, so changing, removing or reordering any event breaks every hash after it. The
 * database computes the same when appending (append_events); the global position is left
 * out, as the database assigns it.
 */
export function chainHash(previousHash: string | null, streamVersion: number, content: string): string {
  return sha256(`${previousHash ?? ''}:${streamVersion}:${content}`);
}

export function eventHash(event: EventContent & Pick<RecordedEvent, 'previousHash' | 'streamVersion'>): string {
  return chainHash(event.previousHash, event.streamVersion, contentHash(event));
}
