import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { TransitionSummaryProjection } from './transition-summary.projection';
import { TransitionsController } from './transitions.controller';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [PlansModule],
  controllers: [TransitionsController],
  providers: [TransitionsService, TransitionSummaryProjection],
  exports: [TransitionsService],
})
export class TransitionsModule {}
