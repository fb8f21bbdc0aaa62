import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { TransitionDetailProjection } from './reads/transition-detail.projection';
import { TransitionSummaryProjection } from './transition-summary.projection';
import { TransitionsController } from './transitions.controller';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [PlansModule],
  controllers: [TransitionsController],
  providers: [TransitionsService, TransitionSummaryProjection, TransitionDetailProjection],
  exports: [TransitionsService],
})
export class TransitionsModule {}
