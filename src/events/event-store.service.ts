import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { contentHash } from './event-hash';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-rows';
import { EventIdReuseError, VersionConflictError } from './event-store.errors';
import type { AppendOptions, AppendResult, NewEvent, RecordedEvent } from './event.types';
import { Projection, PROJECTION } from './projection';

interface AppendedRow {
  global_position: string;
  stream_version: number;
  previous_hash: string | null;
  hash: string;
}

/**
 * The one statement of an append (see the migration 1764000000000-faster-append). Named: each
 * connection parses and plans it once and afterwards only binds and executes it.
 */
const APPEND_EVENTS = {
  name: 'overdracht_append_events',
  text:
    'SELECT * FROM append_events($1::text, $2::integer, $3::timestamptz, $4::uuid[], $5::text[], $6::integer[], ' +
    '$7::jsonb, $8::jsonb, $9::text[])',
};

/** What the database said, whether node-postgres raised it or TypeORM wrapped it. */
interface DatabaseError {
  code?: string;
  detail?: string;
  constraint?: string;
}

function databaseError(error: unknown): DatabaseError {
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  return typeof driverError === 'object' && driverError !== null ? (driverError as DatabaseError) : {};
}

/**
 * Append-only event store on PostgreSQL: one stream per transition, a global position, a
 * per-stream version (unique: optimistic concurrency), idempotent appends by event id, a
 * SHA-256 hash chain per stream (see append_events), and inline projections in the same
 * transaction.
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
    const eventIds = events.map((event) => event.eventId);
    if (events.length > 1 && new Set(eventIds).size < eventIds.length) throw new EventIdReuseError(eventIds);
    const projected = events.some((event) => this.projections.some((p) => p.handles.includes(event.type)));
    try {
      // A single statement is atomic by itself: without projections it runs on a pooled
      // connection, with no BEGIN and COMMIT around it. Projections need the transaction.
      if (!projected) return await this.appendWith(this.pool(), undefined, streamId, events, options);
      return await this.dataSource.transaction(async (manager) => {
        const client = (await manager.queryRunner!.connect()) as PoolClient;
        return this.appendWith(client, manager, streamId, events, options);
      });
    } catch (error) {
      const { code, detail, constraint } = databaseError(error);
      const idTaken = code === '23505' && constraint === 'events_event_id_unique';
      if (code === 'OD002' || idTaken) {
        // Nothing was written. A repeat of an earlier append (a retried activity, a replay) is
        // done already; that is checked only now, as nearly every append is new.
        const earlier = await this.earlierAppend(streamId, eventIds);
        if (earlier === 'reused' || (earlier === undefined && idTaken)) throw new EventIdReuseError(eventIds);
        if (earlier) return earlier;
        throw new VersionConflictError(streamId, options.expectedVersion ?? -1, Number(detail));
      }
      if (code === '23505' && constraint === 'events_stream_version_unique') {
        // Only a writer that bypasses append_events (and its lock) can cause this.
        throw new VersionConflictError(streamId, options.expectedVersion ?? -1, undefined);
      }
      // Keep TypeORM's error type for everything else, without the parameters (event data).
      throw error instanceof QueryFailedError || code === undefined
        ? error
        : new QueryFailedError(APPEND_EVENTS.text, undefined, error as Error);
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
  async version(streamId: string): Promise<number> {
    const [row] = await this.dataSource.query('SELECT max(stream_version) AS version FROM events WHERE stream_id = $1', [
      streamId,
    ]);
    return row?.version ?? 0;
  }

  /** The DataSource's own connection pool (node-postgres), in the application's role like every session. */
  private pool(): Pool {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw new Error('the event store needs an initialised DataSource');
    return pool;
  }

  private async appendWith(
    client: Pool | PoolClient,
    manager: EntityManager | undefined,
    streamId: string,
    events: NewEvent[],
    { expectedVersion }: AppendOptions,
  ): Promise<AppendResult> {
    const recordedAt = new Date().toISOString();
    const { rows } = await client.query<AppendedRow>({
      ...APPEND_EVENTS,
      values: [
        streamId,
        expectedVersion ?? null,
        recordedAt,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        JSON.stringify(events.map((e) => e.data)),
        JSON.stringify(events.map((e) => e.metadata)),
        events.map((e) => contentHash({ ...e, streamId, recordedAt })),
      ],
    });
    rows.sort((a, b) => a.stream_version - b.stream_version); // the batch's order
    if (manager) {
      const recorded: RecordedEvent[] = events.map((event, i) => ({
        ...event,
        streamId,
        recordedAt,
        globalPosition: Number(rows[i].global_position),
        streamVersion: rows[i].stream_version,
        previousHash: rows[i].previous_hash,
        hash: rows[i].hash,
      }));
      for (const event of recorded) {
        for (const projection of this.projections) {
          if (projection.handles.includes(event.type)) await projection.apply(event, manager);
        }
      }
    }
    return {
      streamId,
      positions: rows.map((row) => Number(row.global_position)),
      streamVersion: rows[rows.length - 1].stream_version,
      appended: true,
    };
  }

  /**
   * After a refused append: the original result when every one of the batch's event ids is in
   * this stream (a repeat: nothing to do), 'reused' when only some are, or they are in another
   * stream, and undefined when none exists.
   */
  private async earlierAppend(streamId: string, eventIds: string[]): Promise<AppendResult | 'reused' | undefined> {
    const rows: { global_position: string | null; stream_id: string | null; stream_version: number | null }[] =
      await this.dataSource.query(
        `SELECT e.global_position, e.stream_id, e.stream_version
         FROM unnest($1::uuid[]) WITH ORDINALITY AS batch(event_id, n) LEFT JOIN events e ON e.event_id = batch.event_id
         ORDER BY batch.n`,
        [eventIds],
      );
    const found = rows.filter((row) => row.stream_id !== null);
    if (found.length === 0) return undefined;
    if (found.length < rows.length || found.some((row) => row.stream_id !== streamId)) return 'reused';
    return {
      streamId,
      positions: rows.map((row) => Number(row.global_position)),
      streamVersion: Math.max(...rows.map((row) => row.stream_version!)),
      appended: false,
    };
  }
}
