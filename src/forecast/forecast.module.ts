import { DynamicModule, Module } from '@nestjs/common';
import { TransitionsModule } from '../transitions/transitions.module';
import { ForecastController } from './forecast.controller';
import { ForecastService } from './forecast.service';
import { ReadinessSchedule } from './readiness-schedule';

/**
 * The readiness forecast: `GET /transitions/:transitionId/forecast`, ForecastService for pages,
 * and (where the worker runs) the schedule of the daily readiness check, whose activity is in
 * readiness-check.ts.
 */
@Module({})
export class ForecastModule {
  static forRoot({ scheduleCheck }: { scheduleCheck: boolean }): DynamicModule {
    return {
      module: ForecastModule,
      imports: [TransitionsModule],
      controllers: [ForecastController],
      providers: [ForecastService, ...(scheduleCheck ? [ReadinessSchedule] : [])],
      exports: [ForecastService],
    };
  }
}
