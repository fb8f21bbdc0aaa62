import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TransitionStatus } from '../../../workflows/transition/definitions';
import { evolve } from '../../../workflows/transition/evolve';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from '../../events/event-rows';
import type { RecordedEvent } from '../../events/event.types';
import { InlineProjection, Projection } from '../../events/projection';
import { TRANSITION_EVENT_SCHEMA_VERSIONS, TransitionEvent, TransitionEventType } from '../transition.events';

const HANDLED = Object.keys(TRANSITION_EVENT_SCHEMA_VERSIONS) as TransitionEventType[];

/**
 * `transition_details`, behind `GET /transitions/{id}`: the handover's state as its workflow
 * keeps it, folded from its events with the workflow's own `evolve`. Times it stamps (a task's
 * completedAt, plannedAt) are the events' recorded times, which the workflow's clock precedes by
 * the append's milliseconds.
 */
@Injectable()
@InlineProjection()
export class TransitionDetailProjection implements Projection<TransitionEvent> {
  readonly name = 'transition_details';
  readonly tables = ['transition_details'];
  readonly handles = HANDLED;

  async apply(event: RecordedEvent<TransitionEvent>, manager: EntityManager): Promise<void> {
    const [row]: Array<{ status: TransitionStatus; stream_version: number }> = await manager.query(
      'SELECT status, stream_version FROM transition_details WHERE transition_id = $1 FOR UPDATE',
      [event.streamId],
    );
    if (row && row.stream_version >= event.streamVersion) return;
    const before =
      event.type === 'TransitionPlanned' ? null
      : row?.stream_version === event.streamVersion - 1 ? row.status
      // A gap (a rebuild still replaying while handovers append): fold the stream up to here.
      : await this.fold(event.streamId, event.streamVersion, manager);
    if (before === undefined) return;
    const status = evolve(before, event, { at: Date.parse(event.recordedAt), actor: event.metadata.actor });
    await manager.query(
      `INSERT INTO transition_details (transition_id, status, stream_version, updated_at, last_position)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (transition_id) DO UPDATE
         SET status = excluded.status, stream_version = excluded.stream_version, updated_at = excluded.updated_at,
             last_position = excluded.last_position
         WHERE transition_details.stream_version < excluded.stream_version`,
      [event.streamId, JSON.stringify(status), event.streamVersion, event.recordedAt, event.globalPosition],
    );
  }

  /** The state before version `upTo` from the store; undefined when the stream is no handover's. */
  private async fold(streamId: string, upTo: number, manager: EntityManager): Promise<TransitionStatus | null | undefined> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version < $2 ORDER BY stream_version`,
      [streamId, upTo],
    );
    if (rows[0]?.type !== 'TransitionPlanned') return undefined;
    let state: TransitionStatus | null = null;
    for (const row of rows) {
      if (!(HANDLED as string[]).includes(row.type)) return undefined;
      const event = toRecordedEvent(row) as RecordedEvent<TransitionEvent>;
      state = evolve(state, event, { at: Date.parse(event.recordedAt), actor: event.metadata.actor });
    }
    return state;
  }
}
