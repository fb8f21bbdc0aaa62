import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../events/event.types';
import { InlineProjection, Projection } from '../events/projection';
import type { GoDecided, GoLiveMoved, TransitionAtRisk, TransitionPlanned, TransitionStateChanged } from './transition.events';

type SummaryEvent = TransitionPlanned | TransitionStateChanged | GoLiveMoved | TransitionAtRisk | GoDecided;

/** `transition_summaries`, the read model behind `GET /transitions`. */
@Injectable()
@InlineProjection()
export class TransitionSummaryProjection implements Projection<SummaryEvent> {
  readonly name = 'transition_summaries';
  readonly tables = ['transition_summaries'];
  readonly handles = ['TransitionPlanned', 'TransitionStateChanged', 'GoLiveMoved', 'TransitionAtRisk', 'GoDecided'] as const;

  async apply(event: RecordedEvent<SummaryEvent>, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'TransitionPlanned': {
        const plan = event.data;
        await manager.query(
          `INSERT INTO transition_summaries (transition_id, municipality, district, outgoing_provider, incoming_provider,
                                             go_live_date, template, state, at_risk, created_at, updated_at, last_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned', false, $8, $8, $9)
           ON CONFLICT (transition_id) DO NOTHING`,
          [plan.transitionId, plan.municipality, plan.district, plan.outgoingProvider, plan.incomingProvider,
            plan.goLiveDate, plan.template.code, event.recordedAt, event.globalPosition],
        );
        return;
      }
      case 'TransitionStateChanged':
        return this.update(manager, event, 'state = $4', event.data.to);
      case 'GoLiveMoved':
        return this.update(manager, event, 'go_live_date = $4, at_risk = false', event.data.to);
      case 'TransitionAtRisk':
        return this.update(manager, event, 'at_risk = $4', true);
      case 'GoDecided':
        return this.update(manager, event, 'at_risk = $4', false);
    }
  }

  /** Applies a change once: a replayed or older event leaves the row as it is. */
  private async update(manager: EntityManager, event: RecordedEvent<SummaryEvent>, set: string, value: unknown): Promise<void> {
    await manager.query(
      `UPDATE transition_summaries SET ${set}, updated_at = $2, last_position = $3
       WHERE transition_id = $1 AND last_position < $3`,
      [event.streamId, event.recordedAt, event.globalPosition, value],
    );
  }
}
