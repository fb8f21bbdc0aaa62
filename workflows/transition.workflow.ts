import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Actor } from '../src/events/event.types';
import type { TransitionActivities } from '../src/transitions/transition.activities';
import { TransitionEvents } from '../src/transitions/transition.events';
import {
  TransitionStart,
  TransitionStatus,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from './transition.definitions';

const activities = proxyActivities<TransitionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const SYSTEM: Actor = { user: 'system', organisation: null, role: 'system' };

/** One district's handover, from planning to go-live. Every change is an event in its stream. */
export async function transitionWorkflow(start: TransitionStart): Promise<TransitionStatus> {
  const { plan } = start;
  const status: TransitionStatus = { ...plan, state: 'planned' };
  let streamVersion = 0;
  let lastEventId: string | null = null;
  let registered = false;

  async function record(event: { type: string; schemaVersion: number }, data: object, actor: Actor) {
    const { eventIds } = await activities.appendTransitionEvents({
      streamId: plan.transitionId,
      expectedVersion: streamVersion,
      correlationId: start.correlationId,
      events: [{ ...event, data: data as Record<string, unknown>, actor, causationId: lastEventId }],
    });
    streamVersion += eventIds.length;
    lastEventId = eventIds[eventIds.length - 1];
  }

  setHandler(transitionStatusQuery, () => status);
  setHandler(transitionRegisteredUpdate, async () => {
    await condition(() => registered);
    return status;
  });

  await record(TransitionEvents.planned, plan, start.requestedBy);
  registered = true;

  const untilGoLive = Date.parse(plan.goLiveAt) - Date.now();
  if (untilGoLive > 0) await sleep(untilGoLive);

  status.state = 'live';
  await record(TransitionEvents.wentLive, { transitionId: plan.transitionId, goLiveDate: plan.goLiveDate }, SYSTEM);
  await condition(allHandlersFinished);
  return status;
}
