import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClientActivities } from '../../src/clients/client.activities';
import type { EventStoreActivities } from '../../src/events/event-store.activities';
import type { Actor } from '../../src/events/event.types';
import type { NotificationActivities } from '../../src/notifications/notification.activities';
import type { NotificationFacts } from '../../src/notifications/notification.types';
import { BusinessCalendar } from '../../src/time/calendar';
import { NotificationSent, TRANSITION_EVENT_SCHEMA_VERSIONS, TransitionEvent } from '../../src/transitions/transition.events';
import { createStreamRecorder, EventContext } from '../shared/stream-recorder';
import { Alarm, alarmsFor } from './alarms';
import { decide, DecisionContext, reject, TransitionCommand } from './decide';
import {
  cancelUpdate,
  checkClientTransfersUpdate,
  reportResidentCampaignUpdate,
  clientImportFinishedUpdate,
  clientImportStartedUpdate,
  CommandActor,
  CommandRejection,
  completeTaskUpdate,
  goDecisionUpdate,
  GoLiveAttribute,
  moveGoLiveUpdate,
  reopenTaskUpdate,
  signOffMilestoneUpdate,
  TransitionStart,
  TransitionStateAttribute,
  TransitionStatus,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from './definitions';
import { evolve } from './evolve';

/**
 * Appends are bounded: a caller waits for its command at most about ten seconds (the API's
 * deadline), so an append that cannot reach the store in five gives up, applies nothing and
 * answers 503. Timers and the gate then try again later, also with nothing applied.
 */
const { appendEvents, streamHead } = proxyActivities<EventStoreActivities>({
  startToCloseTimeout: '4 seconds',
  scheduleToCloseTimeout: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second' },
});
const { clientTransferCounts } = proxyActivities<ClientActivities>({
  startToCloseTimeout: '4 seconds',
  scheduleToCloseTimeout: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second' },
});
const { sendNotification } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const SYSTEM: Actor = { user: 'system', organisation: null, role: 'system' };
/** Continue as new well before Temporal's own limits; the state carried over is small. */
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
/** Without the creator's own bound (TransitionStart.notAfter): a run that starts this much later records nothing and fails. */
const REGISTRATION_WINDOW_MS = 10_000;
/** After a failed alarm (the store out of reach), wait this long before trying again, doubling up to the maximum. */
const ALARM_RETRY_MS = { first: 30_000, max: 30 * 60_000 };

/**
 * One district's handover, for months: tasks and milestones, reminders and escalations as
 * durable timers, the go-live gate. Every change follows the command core: decide (pure, also
 * in the update's validator), record every event of the command in one append, then apply
 * (evolve). Commands and alarms run one at a time under a lock and are decided again inside it.
 */
export async function transitionWorkflowV2(start: TransitionStart): Promise<TransitionStatus> {
  const { policy } = start;
  let status: TransitionStatus | null = start.carried?.status ?? null;
  let holidays = start.carried?.holidays ?? start.holidays;
  const fired = new Set(start.carried?.fired ?? []);
  let lastEventId = start.carried?.lastEventId ?? null;
  let registrationFailure: ApplicationFailure | null = null;
  let changed = false;
  const lock = new Mutex();

  const contextFor = (actor: Actor): DecisionContext => ({
    at: Date.now(),
    actor,
    closesAfterMilestone: start.closesAfterMilestone,
  });

  function apply(events: TransitionEvent[], context: EventContext, lastId: string | null): void {
    const before = status;
    status = events.reduce<TransitionStatus | null>((state, event) => evolve(state, event, context), status)!;
    lastEventId = lastId;
    changed = true;
    if (before && before.state !== status.state) upsertSearchAttributes([{ key: TransitionStateAttribute, value: status.state }]);
    if (before && before.plan.goLiveAt !== status.plan.goLiveAt) {
      upsertSearchAttributes([{ key: GoLiveAttribute, value: new Date(status.plan.goLiveAt) }]);
    }
  }

  const recorder = createStreamRecorder<TransitionEvent>({
    streamId: start.plan.transitionId,
    correlationId: start.correlationId,
    schemaVersions: TRANSITION_EVENT_SCHEMA_VERSIONS,
    version: () => status?.streamVersion ?? 0,
    lastEventId: () => lastEventId,
    apply,
    activities: { appendEvents, streamHead },
    conflictMessage: 'the handover was changed elsewhere; nothing was changed',
  });

  /** The command core, under the lock: decide on the current state (settled with the store first), record, apply. */
  async function decideAndRecord(command: TransitionCommand, actor: Actor, onApplied?: () => void): Promise<void> {
    await recorder.settle();
    const context = contextFor(actor);
    await recorder.record(decide(status, command, context), context, onApplied);
  }

  function onCommand<C extends CommandActor>(
    update: UpdateDefinition<TransitionStatus, [C]>,
    toCommand: (command: C) => TransitionCommand,
    onApplied?: (command: C) => void,
  ) {
    setHandler(
      update,
      (command) =>
        lock.runExclusive(async () => {
          if (command.notAfter !== undefined && Date.now() > command.notAfter) {
            throw reject(CommandRejection.unavailable, 'the handover was busy and its caller stopped waiting; nothing was changed');
          }
          await decideAndRecord(toCommand(command), command.actor, () => onApplied?.(command));
          return status!;
        }),
      {
        validator: (command) => {
          // With an append's outcome unknown the state may be behind the store: the handler decides after settling it.
          if (!recorder.uncertain) decide(status, toCommand(command), contextFor(command.actor));
        },
      },
    );
  }

  setHandler(transitionStatusQuery, () => status!);
  setHandler(transitionRegisteredUpdate, async () => {
    await condition(() => status !== null || registrationFailure !== null);
    if (registrationFailure) throw registrationFailure;
    return status!;
  });
  onCommand(completeTaskUpdate, (command) => ({ type: 'CompleteTask', ...command }));
  onCommand(reopenTaskUpdate, (command) => ({ type: 'ReopenTask', ...command }));
  onCommand(signOffMilestoneUpdate, (command) => ({ type: 'SignOffMilestone', ...command }));
  onCommand(goDecisionUpdate, (command) => ({ type: 'DecideGo', ...command }));
  onCommand(cancelUpdate, (command) => ({ type: 'Cancel', ...command }));
  onCommand(
    moveGoLiveUpdate,
    (command) => ({ type: 'MoveGoLive', ...command }),
    (command) => (holidays = mergeHolidays(holidays, command.holidays)),
  );

  // From the client import and the client transfers (system): never one per client, so the history stays bounded.
  setHandler(clientImportStartedUpdate, ({ importId }) =>
    lock.runExclusive(async () => {
      await decideAndRecord({ type: 'StartClientImport', importId }, SYSTEM);
      return status!;
    }),
  );
  setHandler(clientImportFinishedUpdate, ({ importId }) =>
    lock.runExclusive(async () => {
      await decideAndRecord({ type: 'FinishClientImport', importId, counts: await countClientTransfers() }, SYSTEM);
      return status!;
    }),
  );
  setHandler(checkClientTransfersUpdate, () =>
    lock.runExclusive(async () => {
      await decideAndRecord({ type: 'CountClientTransfers', counts: await countClientTransfers() }, SYSTEM);
      return status!;
    }),
  );

  // From the handover's resident campaign (system): a handful of reports per campaign.
  setHandler(reportResidentCampaignUpdate, (report) =>
    lock.runExclusive(async () => {
      await decideAndRecord({ type: 'ReportResidentCampaign', ...report }, SYSTEM);
      return status!;
    }),
  );

  async function countClientTransfers() {
    try {
      return await clientTransferCounts(start.plan.transitionId);
    } catch {
      throw reject(CommandRejection.unavailable, 'the client transfers could not be counted; nothing was changed');
    }
  }

  /** Sends an alarm's notifications (idempotent, outside the lock), then records them with what the alarm decides. */
  async function fire(alarm: Alarm): Promise<void> {
    const preview = alarm.kind === 'client-transfers-escalation' ? await clientEscalation() : alarmDecision(alarm);
    const recipients = preview ? recipientsOf(preview.facts) : [];
    const sent: NotificationSent['data'][] = [];
    for (const organisation of recipients) {
      const notificationId = `${start.plan.transitionId}:${alarm.key}:${organisation}`;
      try {
        await sendNotification({ ...preview!.facts, notificationId, organisation, transitionId: start.plan.transitionId });
      } catch (error) {
        // Inbox or mail out of reach: the alarm stays due and is tried again later; nothing was recorded.
        if (error instanceof ActivityFailure) throw reject(CommandRejection.unavailable, 'the notification could not be sent');
        throw error;
      }
      sent.push({ notificationId, kind: alarm.kind, organisation, taskId: alarm.taskId ?? null });
    }
    const command: TransitionCommand =
      alarm.kind === 'go-live-gate' ? { type: 'ReachGoLive', notifications: sent } : { type: 'RecordNotifications', notifications: sent };
    await lock.runExclusive(() => decideAndRecord(command, SYSTEM, () => fired.add(alarm.key)));
  }

  /** Unfinished client transfers close to go-live, counted in the read model: null when all are finished. */
  async function clientEscalation(): Promise<{ facts: NotificationFacts } | null> {
    const { total, open } = await countClientTransfers();
    if (open === 0) return null;
    return { facts: { kind: 'client-transfers-escalation', goLiveDate: status!.plan.goLiveDate, openTransfers: open, totalTransfers: total } };
  }

  /** What an alarm would tell, from the current state; null when there is nothing to tell. */
  function alarmDecision(alarm: Alarm): { facts: NotificationFacts } | null {
    const current = status!;
    const task = current.tasks.find((t) => t.id === alarm.taskId);
    const notified = task && { id: task.id, title: task.title, dueDate: task.dueDate, assignee: task.assignee };
    switch (alarm.kind) {
      case 'task-reminder':
        return { facts: { kind: 'task-reminder', task: notified!, daysBefore: alarm.daysBefore! } };
      case 'escalation':
        return { facts: { kind: 'escalation', task: notified! } };
      case 'go-live-reminder':
        return {
          facts: {
            kind: 'go-live-reminder',
            goLiveDate: current.plan.goLiveDate,
            daysBefore: alarm.daysBefore!,
            openTasks: current.tasks.filter((t) => t.status === 'open').length,
          },
        };
      case 'go-live-gate': {
        const atRisk = decide(current, { type: 'ReachGoLive', notifications: [] }, contextFor(SYSTEM)).find(
          (e) => e.type === 'TransitionAtRisk',
        );
        return atRisk?.type === 'TransitionAtRisk'
          ? { facts: { kind: 'go-live-gate', goLiveDate: current.plan.goLiveDate, unmetMilestones: atRisk.data.unmetMilestones } }
          : null;
      }      case 'client-transfers-escalation':
        return null; // counted in the read model: see clientEscalation
    }
  }

  function recipientsOf(facts: NotificationFacts): string[] {
    const { plan } = status!;
    switch (facts.kind) {
      case 'task-reminder':
        return [facts.task.assignee];
      case 'escalation':
      case 'go-live-gate':
      case 'client-transfers-escalation':
        return [plan.municipality];
      case 'go-live-reminder':
        return [...new Set([plan.municipality, plan.incomingProvider, plan.outgoingProvider])];
      case 'transfer-stalled':
      case 'campaign-behind-schedule':
      case 'readiness-late':
        return [];
    }
  }

  /**
   * Whether the handover is in the store after all: an append whose answer was lost may have
   * gone through, and an earlier run of this id may have recorded it before it failed. Either
   * way this run goes on from the stored event instead of failing a handover that exists.
   */
  async function registeredAfterAll(failure: ApplicationFailure): Promise<boolean> {
    try {
      if (failure.type === CommandRejection.unavailable) {
        await recorder.settle();
        return status !== null;
      }
      if (failure.type !== CommandRejection.conflict) return false;
      const head = await streamHead(start.plan.transitionId);
      if (head.version !== 1 || !head.eventId) return false;
      const context = contextFor(start.requestedBy);
      apply(decide(null, { type: 'PlanTransition', start }, context), context, head.eventId);
      return true;
    } catch {
      return false; // the store is still out of reach: the run fails, and the creator may try again
    }
  }

  if (!start.carried) {
    const registerBy = start.notAfter ?? workflowInfo().runStartTime.getTime() + REGISTRATION_WINDOW_MS;
    if (Date.now() > registerBy) {
      registrationFailure = reject(CommandRejection.unavailable, 'the handover could not be recorded in time; nothing was changed');
    } else {
      try {
        await lock.runExclusive(() => decideAndRecord({ type: 'PlanTransition', start }, start.requestedBy));
      } catch (error) {
        const failure = error instanceof ApplicationFailure ? error : reject(CommandRejection.unavailable, 'the handover could not be recorded');
        // Told to the creator only once it is sure the handover is not in the store.
        if (!(await lock.runExclusive(() => registeredAfterAll(failure)))) registrationFailure = failure;
      }
    }
    if (registrationFailure) {
      // The run fails, recording nothing, so the same handover can be created again.
      await condition(allHandlersFinished);
      throw registrationFailure;
    }
  }

  let retryIn = 0;
  while (status!.state !== 'closed' && status!.state !== 'cancelled') {
    const next = alarmsFor(status!, policy, new BusinessCalendar(holidays)).find((alarm) => !fired.has(alarm.key));
    changed = false;
    const wait = retryIn > 0 ? retryIn : next ? Math.max(1, next.at - Date.now()) : undefined;
    const woken = await condition(() => changed, wait);
    if (!woken && next) {
      try {
        await fire(next);
        retryIn = 0;
      } catch (error) {
        if (!(error instanceof ApplicationFailure) || error.type !== CommandRejection.unavailable) throw error;
        retryIn = Math.min(retryIn > 0 ? retryIn * 2 : ALARM_RETRY_MS.first, ALARM_RETRY_MS.max);
      }
    }
    const historyFull =
      workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (start.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS);
    if (historyFull && !recorder.uncertain) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof transitionWorkflowV2>({
        ...start,
        carried: { status: status!, holidays, fired: [...fired], lastEventId },
      });
    }
  }
  await condition(allHandlersFinished);
  return status!;
}

function mergeHolidays(known: string[], more: string[]): string[] {
  return [...new Set([...known, ...more])].sort();
}
