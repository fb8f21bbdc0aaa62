import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TransitionState } from '../../workflows/transition.definitions';

/** Read model behind `GET /transitions`: one row per handover, kept by TransitionSummaryProjection. */
@Entity({ name: 'transition_summaries' })
export class TransitionSummary {
  @PrimaryColumn({ name: 'transition_id', type: 'text' })
  transitionId: string;

  @Column({ type: 'text' })
  municipality: string;

  @Column({ type: 'text' })
  district: string;

  @Column({ name: 'outgoing_provider', type: 'text' })
  outgoingProvider: string;

  @Column({ name: 'incoming_provider', type: 'text' })
  incomingProvider: string;

  /** Europe/Amsterdam calendar date, returned as YYYY-MM-DD. */
  @Column({ name: 'go_live_date', type: 'date' })
  goLiveDate: string;

  @Column({ type: 'text' })
  template: string;

  @Column({ type: 'text' })
  state: TransitionState;

  @Column({ name: 'at_risk', type: 'boolean' })
  atRisk: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Global position of the last event applied (keeps replays idempotent); not served. */
  @Column({ name: 'last_position', type: 'bigint', select: false })
  lastPosition: string;
}
