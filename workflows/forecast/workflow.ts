import { proxyActivities } from '@temporalio/workflow';
import type { ForecastActivities, ReadinessCheckResult } from '../../src/forecast/readiness-check';

const { checkReadiness } = proxyActivities<ForecastActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', maximumAttempts: 5 },
});

/** The daily readiness check, started by its schedule (src/forecast/readiness-schedule.ts). */
export async function readinessCheckWorkflow(): Promise<ReadinessCheckResult> {
  return checkReadiness();
}
