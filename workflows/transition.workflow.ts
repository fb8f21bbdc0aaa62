import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { TransitionActivities } from '../src/transitions/transition.activities';
import {
  TransitionPlan,
  TransitionStatus,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from './transition.definitions';

const activities = proxyActivities<TransitionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** One district's handover, from planning to go-live. */
export async function transitionWorkflow(plan: TransitionPlan): Promise<TransitionStatus> {
  const status: TransitionStatus = { ...plan, state: 'planned' };
  let registered = false;

  setHandler(transitionStatusQuery, () => status);
  setHandler(transitionRegisteredUpdate, async () => {
    await condition(() => registered);
    return status;
  });

  await activities.recordTransitionPlanned(plan);
  registered = true;

  const untilGoLive = Date.parse(plan.goLiveAt) - Date.now();
  if (untilGoLive > 0) await sleep(untilGoLive);

  status.state = 'live';
  await activities.recordTransitionState(plan.transitionId, status.state);
  await condition(allHandlersFinished);
  return status;
}
