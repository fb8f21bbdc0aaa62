import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { MeController } from './me.controller';
import { TransitionActivities } from './transition.activities';
import { TransitionSummaryProjection } from './transition-summary.projection';
import { TransitionTaskProjection } from './transition-task.projection';
import { TransitionsController } from './transitions.controller';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [PlansModule],
  controllers: [TransitionsController, MeController],
  providers: [TransitionsService, TransitionActivities, TransitionSummaryProjection, TransitionTaskProjection],
  exports: [TransitionsService],
})
export class TransitionsModule {}
