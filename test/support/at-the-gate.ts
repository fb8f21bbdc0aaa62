import { randomUUID } from 'node:crypto';
import { EventStore } from '../../src/events/event-store.service';
import type { Actor } from '../../src/events/event.types';
import { planTransition } from '../../src/transitions/plan-transition';
import { TRANSITION_EVENT_SCHEMA_VERSIONS, TransitionEvent } from '../../src/transitions/transition.events';
import { plannedEventData } from '../../workflows/transition/decide';
import type { TransitionStatus } from '../../workflows/transition/definitions';
import { evolve } from '../../workflows/transition/evolve';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import type { ListeningApi } from './listening-api';
import { PROVIDER_CHANGE } from './plans';

const coordinator: Actor = { user: 'coordinator-test', organisation: 'rotterdam', role: 'coordinator' };

/**
 * A Rotterdam handover whose go-live (in the past) has come with its mandatory milestones unmet:
 * waiting at the gate for a go / no-go decision. The API refuses a go-live that is not after
 * today, and a dev server cannot skip time, so its first events are appended as the workflow
 * would have, and its workflow is started with that state carried, as after a continue-as-new.
 */
export async function handoverAtTheGate(api: ListeningApi, district: string, goLiveDate: string): Promise<string> {
  const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2, clientEscalationBusinessDays: 10 };
  const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
  const start = planTransition(request, PROVIDER_CHANGE, policy, coordinator, randomUUID());
  const events: TransitionEvent[] = [
    { type: 'TransitionPlanned', data: plannedEventData(start) },
    { type: 'TransitionAtRisk', data: { unmetMilestones: start.milestones.filter((milestone) => milestone.mandatory).map((milestone) => milestone.id) } },
  ];
  const stored = events.map((event) => ({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: TRANSITION_EVENT_SCHEMA_VERSIONS[event.type],
    data: event.data,
    metadata: { actor: coordinator, correlationId: start.correlationId, causationId: null },
  }));
  await api.app.get(EventStore).append(start.plan.transitionId, stored, { expectedVersion: 0 });
  const context = { at: Date.now(), actor: coordinator };
  const status = events.reduce<TransitionStatus | null>((state, event) => evolve(state, event, context), null)!;
  await api.env.client.workflow.start(transitionWorkflowV2, {
    workflowId: start.plan.transitionId,
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    args: [{ ...start, carried: { status, holidays: start.holidays, fired: [], lastEventId: stored[stored.length - 1].eventId } }],
  });
  return start.plan.transitionId;
}
