import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TransitionActivities } from './transition.activities';
import { TransitionSummaryProjection } from './transition-summary.projection';
import { TransitionSummary } from './transition-summary.entity';
import { TransitionsController } from './transitions.controller';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [TypeOrmModule.forFeature([TransitionSummary])],
  controllers: [TransitionsController],
  providers: [TransitionsService, TransitionActivities, TransitionSummaryProjection],
})
export class TransitionsModule {}
