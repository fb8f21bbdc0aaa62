import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { readinessCheckWorkflow } from '../../workflows/forecast/workflow';
import { AMSTERDAM } from '../time/calendar';
import { trackTemporalCall } from '../temporal/within-deadline';

export const READINESS_SCHEDULE_ID = 'forecast.readiness-check';

/**
 * Makes sure the daily readiness check is scheduled in Temporal: at 06:30 Europe/Amsterdam,
 * before coordinators start their day; a run missed while Temporal was down runs when it is back
 * (within a day); a run still going skips the next. Created once; an existing schedule is kept as
 * it is. The call runs beside the start-up (a Temporal that is not reachable yet holds nothing up)
 * and is cancelled if the service stops first.
 */
@Injectable()
export class ReadinessSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReadinessSchedule.name);

  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    void trackTemporalCall((signal) =>
      this.temporal.withAbortSignal(signal, () =>
        this.temporal.schedule.create({
          scheduleId: READINESS_SCHEDULE_ID,
          spec: { calendars: [{ hour: 6, minute: 30 }], timezone: AMSTERDAM },
          action: {
            type: 'startWorkflow',
            workflowType: readinessCheckWorkflow,
            workflowId: READINESS_SCHEDULE_ID,
            taskQueue: this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE'),
          },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        }),
      ),
    ).catch((error) => {
      if (error instanceof ScheduleAlreadyRunning) return;
      this.logger.warn(`The daily readiness check is not scheduled: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
