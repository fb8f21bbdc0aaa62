import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
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
  appended: boolean;
}

function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
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
    const projected = events.some((event) => this.projections.some((p) => p.handles.includes(event.type)));
    const append = (manager: EntityManager) => this.appendWith(manager, streamId, events, options);
    try {
      // A single statement is atomic by itself; projections need the transaction around both.
      return projected ? await this.dataSource.transaction(append) : await append(this.dataSource.manager);
    } catch (error) {
      switch (sqlState(error)) {
        case 'OD001':
          throw new EventIdReuseError(events.map((event) => event.eventId));
        case 'OD002':
          throw new VersionConflictError(
            streamId,
            options.expectedVersion ?? -1,
            Number(((error as QueryFailedError).driverError as { detail?: string }).detail),
          );
        case '23505': // the same event ids, appended at the same moment to another stream
          throw new EventIdReuseError(events.map((event) => event.eventId));
        default:
          throw error;
      }
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

  private async appendWith(
    manager: EntityManager,
    streamId: string,
    events: NewEvent[],
    { expectedVersion }: AppendOptions,
  ): Promise<AppendResult> {
    const recordedAt = new Date().toISOString();
    const rows: AppendedRow[] = await manager.query(
      'SELECT * FROM append_events($1, $2, $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8, $9::text[])',
      [
        streamId,
        expectedVersion ?? null,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
        recordedAt,
        events.map((e) => contentHash({ ...e, streamId, recordedAt })),
      ],
    );
    const appended = rows[0].appended;
    if (appended) {
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
      streamVersion: Math.max(...rows.map((row) => row.stream_version)),
      appended,
    };
  }
}
