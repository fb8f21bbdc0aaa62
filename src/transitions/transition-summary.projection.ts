import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../events/event.types';
import { InlineProjection, Projection } from '../events/projection';
import { TransitionEvents, TransitionPlannedData, TransitionWentLiveData } from './transition.events';

/** `transition_summaries`, the read model behind `GET /transitions`. */
@Injectable()
@InlineProjection()
export class TransitionSummaryProjection implements Projection {
  readonly name = 'transition_summaries';
  readonly tables = ['transition_summaries'];
  readonly handles = [TransitionEvents.planned.type, TransitionEvents.wentLive.type];

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case TransitionEvents.planned.type: {
        const plan = event.data as unknown as TransitionPlannedData;
        await manager.query(
          `INSERT INTO transition_summaries (transition_id, municipality, district, outgoing_provider, incoming_provider,
                                             go_live_date, state, created_at, updated_at, last_position)
           VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $7, $8)
           ON CONFLICT (transition_id) DO NOTHING`,
          [plan.transitionId, plan.municipality, plan.district, plan.outgoingProvider, plan.incomingProvider,
            plan.goLiveDate, event.recordedAt, event.globalPosition],
        );
        return;
      }
      case TransitionEvents.wentLive.type: {
        const { transitionId } = event.data as unknown as TransitionWentLiveData;
        await this.setState(manager, transitionId, 'live', event);
        return;
      }
    }
  }

  /** Applies a state change once: a replayed or older event leaves the row as it is. */
  private async setState(manager: EntityManager, transitionId: string, state: string, event: RecordedEvent) {
    await manager.query(
      `UPDATE transition_summaries SET state = $2, updated_at = $3, last_position = $4
       WHERE transition_id = $1 AND last_position < $4`,
      [transitionId, state, event.recordedAt, event.globalPosition],
    );
  }
}
