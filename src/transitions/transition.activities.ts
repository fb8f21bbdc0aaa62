import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransitionPlan, TransitionState } from '../../workflows/transition.definitions';
import { TemporalActivities } from '../temporal/temporal-activities.decorator';
import { TransitionSummary } from './transition-summary.entity';

/** Activities of the transition workflow: its only way to touch the database. */
@Injectable()
@TemporalActivities()
export class TransitionActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent: a retried activity finds the row and leaves it as it is. */
  async recordTransitionPlanned(plan: TransitionPlan): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(TransitionSummary)
      .values({
        transitionId: plan.transitionId,
        municipality: plan.municipality,
        district: plan.district,
        outgoingProvider: plan.outgoingProvider,
        incomingProvider: plan.incomingProvider,
        goLiveDate: plan.goLiveDate,
        state: 'planned',
      })
      .orIgnore()
      .execute();
  }

  async recordTransitionState(transitionId: string, state: TransitionState): Promise<void> {
    await this.dataSource.getRepository(TransitionSummary).update({ transitionId }, { state });
  }
}
