import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { eventHash } from './event-hash';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-rows';
import { EventIdReuseError, VersionConflictError } from './event-store.errors';
import type { AppendOptions, AppendResult, NewEvent, RecordedEvent } from './event.types';
import { Projection, PROJECTION } from './projection';

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

/**
 * Append-only event store on PostgreSQL: one stream per transition, a global position, a
 * per-stream version (unique: optimistic concurrency), idempotent appends by event id, a
 * SHA-256 hash chain per stream, and inline projections in the same transaction.
 */
@Injectable()
export class EventStore implements OnModuleInit {
  private projections: Projection[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.projections = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance && Reflect.getMetadata(PROJECTION, wrapper.metatype))
      .map((wrapper) => wrapper.instance as Projection);
  }

  /** The projections applied inline, for the projector. */
  inlineProjections(): readonly Projection[] {
    return this.projections;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    try {
      return await this.dataSource.transaction('READ COMMITTED', (manager) =>
        this.appendInTransaction(manager, streamId, events, options),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Writers of one stream queue on its lock, so only the same event ids appended at the
      // same moment to another stream get here; existingAppend reports that as a reuse.
      const repeat = await this.existingAppend(this.dataSource.manager, streamId, events);
      if (repeat) return repeat;
      throw error;
    }
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toRecordedEvent);
  }

  /** The stream's current version; 0 when it has no events. */
  async version(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query('SELECT max(stream_version) AS version FROM events WHERE stream_id = $1', [
      streamId,
    ]);
    return row?.version ?? 0;
  }

  private async appendInTransaction(
    manager: EntityManager,
    streamId: string,
    events: NewEvent[],
    { expectedVersion }: AppendOptions,
  ): Promise<AppendResult> {
    // Writers of one stream queue here (other streams are not held up): each then reads the
    // head another has just committed, instead of losing a race and retrying.
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
    const repeat = await this.existingAppend(manager, streamId, events);
    if (repeat) return repeat;

    const [head] = await manager.query(
      'SELECT stream_version, hash FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1',
      [streamId],
    );
    const currentVersion: number = head?.stream_version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
      throw new VersionConflictError(streamId, expectedVersion, currentVersion);
    }

    const recordedAt = new Date().toISOString();
    let previousHash: string | null = head?.hash ?? null;
    const hashed = events.map((event, index) => {
      const fields = { ...event, streamId, streamVersion: currentVersion + index + 1, recordedAt, previousHash };
      const hash = eventHash(fields);
      previousHash = hash;
      return { ...fields, hash };
    });

    const inserted: Array<{ global_position: string; event_id: string }> = await manager.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, previous_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                            $8::timestamptz[], $9::text[], $10::text[])
       RETURNING global_position, event_id`,
      [
        hashed.map((e) => e.eventId),
        hashed.map((e) => e.streamId),
        hashed.map((e) => e.streamVersion),
        hashed.map((e) => e.type),
        hashed.map((e) => e.schemaVersion),
        hashed.map((e) => JSON.stringify(e.data)),
        hashed.map((e) => JSON.stringify(e.metadata)),
        hashed.map((e) => e.recordedAt),
        hashed.map((e) => e.previousHash),
        hashed.map((e) => e.hash),
      ],
    );
    const positionOf = new Map(inserted.map((row) => [row.event_id, Number(row.global_position)]));
    const recorded: RecordedEvent[] = hashed.map((e) => ({ ...e, globalPosition: positionOf.get(e.eventId)! }));

    for (const event of recorded) {
      for (const projection of this.projections) await projection.apply(event, manager);
    }
    return {
      streamId,
      positions: recorded.map((e) => e.globalPosition),
      streamVersion: currentVersion + events.length,
      appended: true,
    };
  }

  /** When every event id of the batch exists in this stream, the earlier append's result. */
  private async existingAppend(
    manager: EntityManager,
    streamId: string,
    events: NewEvent[],
  ): Promise<AppendResult | undefined> {
    const ids = events.map((event) => event.eventId);
    const existing: Array<{ event_id: string; stream_id: string; global_position: string; stream_version: number }> =
      await manager.query(
        'SELECT event_id, stream_id, global_position, stream_version FROM events WHERE event_id = ANY($1::uuid[])',
        [ids],
      );
    if (existing.length === 0) return undefined;
    const sameBatch = existing.length === ids.length && existing.every((row) => row.stream_id === streamId);
    if (!sameBatch) throw new EventIdReuseError(existing.map((row) => row.event_id));
    const byId = new Map(existing.map((row) => [row.event_id, row]));
    return {
      streamId,
      positions: ids.map((id) => Number(byId.get(id)!.global_position)),
      streamVersion: Math.max(...existing.map((row) => row.stream_version)),
      appended: false,
    };
  }
}
