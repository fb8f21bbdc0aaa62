import type { EntityManager } from 'typeorm';
import { contentHash } from '../../events/event-hash';
import type { NewEvent } from '../../events/event.types';

/**
 * Appends events through the event store's own `append_events` (the stream lock, the version,
 * the hash chain) inside the caller's transaction, so a change to the audiences and its event are
 * one commit: both or neither. Only for events no inline projection handles (the audience events):
 * EventStore.append runs projections, this does not.
 */
export async function appendInTransaction(manager: EntityManager, streamId: string, events: NewEvent[]): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendInTransaction must run inside a transaction');
  const recordedAt = new Date().toISOString();
  await manager.query(
    'SELECT * FROM append_events($1::text, $2::integer, $3::timestamptz, $4::uuid[], $5::text[], $6::integer[], $7::jsonb, $8::jsonb, $9::text[])',
    [
      streamId,
      null,
      recordedAt,
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      JSON.stringify(events.map((e) => e.data)),
      JSON.stringify(events.map((e) => e.metadata)),
      events.map((e) => contentHash({ ...e, streamId, recordedAt })),
    ],
  );
}
