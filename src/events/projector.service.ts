import { Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-rows';
import { EventStore } from './event-store.service';
import type { Projection } from './projection';

const BATCH_SIZE = 500;

/**
 * Replays events into projections, batch by batch, each batch in one transaction with the
 * projection's checkpoint, so an interrupted rebuild resumes where it stopped. Only events of
 * transactions that have ended are read (below the snapshot's xmin), so a slow writer's
 * lower position is never skipped.
 */
@Injectable()
export class Projector {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventStore: EventStore,
  ) {}

  projections(): readonly Projection[] {
    return this.eventStore.inlineProjections();
  }

  /**
   * Empties the projection's tables and replays every event into them, at least up to the last
   * event stored when it began (waiting for transactions still open then). Returns the events read.
   */
  async rebuild(projection: Projection): Promise<number> {
    const [{ head }] = await this.dataSource.query('SELECT coalesce(max(global_position), 0) AS head FROM events');
    await this.dataSource.transaction(async (manager) => {
      for (const table of projection.tables) await manager.query(`DELETE FROM ${table}`);
      await manager.query(
        `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0)
         ON CONFLICT (projection) DO UPDATE SET position = 0, updated_at = now()`,
        [projection.name],
      );
    });
    let applied = 0;
    for (;;) {
      applied += await this.catchUp(projection);
      const [{ position }] = await this.dataSource.query(
        'SELECT position FROM projection_checkpoints WHERE projection = $1',
        [projection.name],
      );
      if (Number(position) >= Number(head)) return applied;
      await delay(50);
    }
  }

  /** Applies every event after the projection's checkpoint that is safe to read. Returns the events read. */
  async catchUp(projection: Projection): Promise<number> {
    let applied = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (manager) => {
        const [checkpoint] = await manager.query(
          'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
          [projection.name],
        );
        const rows: EventRow[] = await manager.query(
          `SELECT ${EVENT_COLUMNS} FROM events
           WHERE global_position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY global_position LIMIT $2`,
          [checkpoint?.position ?? 0, BATCH_SIZE],
        );
        for (const row of rows) {
          if (projection.handles.includes(row.type)) await projection.apply(toRecordedEvent(row), manager);
        }
        if (rows.length > 0) {
          await manager.query(
            `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
             ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = now()`,
            [projection.name, rows[rows.length - 1].global_position],
          );
        }
        return rows.length;
      });
      applied += count;
      if (count < BATCH_SIZE) return applied;
    }
  }
}
