import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Actor } from '../../../src/events/event.types';
import type { TransitionPlannedData } from '../../../src/transitions/transition.events';
import { addDays, amsterdamDate, BusinessCalendar } from '../../../src/time/calendar';
import { Alarm, alarmsFor } from './alarms';
import {
  cancelUpdate,
  CommandActor,
  CommandRejection,
  completeTaskUpdate,
  goDecisionUpdate,
  GoLiveAttribute,
  moveGoLiveUpdate,
  reopenTaskUpdate,
  signOffMilestoneUpdate,
  TaskStatus,
  TransitionStart,
  TransitionState,
  TransitionStateAttribute,
  TransitionStatus,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from '../definitions';

/*
 * The first release of the handover workflow, frozen: runs of the workflow type
 * `transitionWorkflow` started before the command core (../workflow.ts) keep replaying on it
 * until they end. New handovers start as `transitionWorkflowV2`. Delete this folder, and the
 * activities kept for it (`appendTransitionEvents`, `notify`), once no run of this type is open.
 */

/** The activities this release calls, as it called them. */
interface ReleaseOneActivities {
  appendTransitionEvents(request: {
    streamId: string;
    expectedVersion: number;
    correlationId: string;
    events: Array<{ type: string; schemaVersion: number; data: Record<string, unknown>; actor: Actor; causationId: string | null }>;
  }): Promise<{ eventIds: string[]; positions: number[] }>;
  notify(request: { notificationId: string; kind: string; organisation: string; transitionId: string; subject: string; body: string }): Promise<void>;
}

const TransitionEvents = {
  planned: { type: 'TransitionPlanned', schemaVersion: 1 },
  stateChanged: { type: 'TransitionStateChanged', schemaVersion: 1 },
  taskCompleted: { type: 'TaskCompleted', schemaVersion: 1 },
  taskReopened: { type: 'TaskReopened', schemaVersion: 1 },
  milestoneMet: { type: 'MilestoneMet', schemaVersion: 1 },
  milestoneReopened: { type: 'MilestoneReopened', schemaVersion: 1 },
  milestoneSignedOff: { type: 'MilestoneSignedOff', schemaVersion: 1 },
  goLiveMoved: { type: 'GoLiveMoved', schemaVersion: 1 },
  atRisk: { type: 'TransitionAtRisk', schemaVersion: 1 },
  goDecided: { type: 'GoDecided', schemaVersion: 1 },
  wentLive: { type: 'TransitionWentLive', schemaVersion: 1 },
  cancelled: { type: 'TransitionCancelled', schemaVersion: 1 },
  notificationSent: { type: 'NotificationSent', schemaVersion: 1 },
} as const;

const { appendTransitionEvents } = proxyActivities<ReleaseOneActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { notify } = proxyActivities<ReleaseOneActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

const SYSTEM: Actor = { user: 'system', organisation: null, role: 'system' };
/** Continue as new well before Temporal's own limits; the state carried over is small. */
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * One district's handover, for months: tasks and milestones, reminders and escalations as
 * durable timers, the go-live gate, and every change recorded as an event in its stream.
 * Commands arrive as updates whose validators reject bad ones before anything is recorded.
 */
export async function transitionWorkflow(start: TransitionStart): Promise<TransitionStatus> {
  const { policy } = start;
  const status: TransitionStatus = start.carried?.status ?? initialStatus(start);
  let holidays = start.carried?.holidays ?? start.holidays;
  const fired = new Set(start.carried?.fired ?? []);
  let lastEventId = start.carried?.lastEventId ?? null;
  let registered = start.carried !== undefined;
  let changed = false;

  // Events are appended one command at a time, in the order the workflow decided them.
  let recording: Promise<unknown> = Promise.resolve();
  function record(event: { type: string; schemaVersion: number }, data: object, actor: Actor): Promise<void> {
    const next = recording.then(async () => {
      const { eventIds } = await appendTransitionEvents({
        streamId: status.transitionId,
        expectedVersion: status.streamVersion,
        correlationId: start.correlationId,
        events: [{ ...event, data: { ...data }, actor, causationId: lastEventId }],
      });
      status.streamVersion += eventIds.length;
      lastEventId = eventIds[eventIds.length - 1];
    });
    recording = next;
    return next;
  }

  async function changeState(to: TransitionState, actor: Actor): Promise<void> {
    if (status.state === to) return;
    const from = status.state;
    status.state = to;
    upsertSearchAttributes([{ key: TransitionStateAttribute, value: to }]);
    changed = true;
    await record(TransitionEvents.stateChanged, { from, to }, actor);
  }

  /** Milestones met by their tasks (or a sign-off), and the state that follows. */
  async function reconcile(actor: Actor): Promise<void> {
    for (const milestone of status.milestones) {
      const byTasks = milestone.tasks.length > 0 && milestone.tasks.every((id) => taskById(id)?.status === 'done');
      const met = byTasks || milestone.signedOffBy !== null;
      if (met === milestone.met) continue;
      milestone.met = met;
      milestone.metAt = met ? new Date().toISOString() : null;
      await record(met ? TransitionEvents.milestoneMet : TransitionEvents.milestoneReopened, { milestoneId: milestone.id }, actor);
    }
    if (status.state === 'planned' && status.tasks.some((task) => task.status === 'done')) {
      await changeState('preparing', actor);
    }
    const mandatoryMet = status.milestones.filter((m) => m.mandatory && m.offsetDays <= 0).every((m) => m.met);
    if (status.state === 'preparing' && mandatoryMet) await changeState('ready', actor);
    if (status.state === 'ready' && !mandatoryMet) await changeState('preparing', actor);
    const closing = status.milestones.find((m) => m.id === start.closesAfterMilestone);
    if (status.state === 'live' && closing?.met) await changeState('closed', actor);
  }

  const taskById = (id: string) => status.tasks.find((task) => task.id === id);

  function authorisedTask(command: CommandActor & { taskId: string }): TaskStatus {
    const task = taskById(command.taskId);
    if (!task) throw reject(CommandRejection.notFound, `task ${command.taskId} does not exist in ${status.transitionId}`);
    if (!command.actingFor.includes(task.assignee)) {
      throw reject(CommandRejection.forbidden, `task ${task.id} is assigned to ${task.assignee}, not to your organisation`);
    }
    return task;
  }

  function assertOpen(): void {
    if (status.state === 'closed' || status.state === 'cancelled') {
      throw reject(CommandRejection.conflict, `transition ${status.transitionId} is ${status.state}`);
    }
  }

  setHandler(transitionStatusQuery, () => status);
  setHandler(transitionRegisteredUpdate, async () => {
    await condition(() => registered);
    return status;
  });

  setHandler(
    completeTaskUpdate,
    async (command) => {
      const task = taskById(command.taskId)!;
      task.status = 'done';
      task.completedAt = new Date().toISOString();
      task.completedBy = command.actor;
      task.note = command.note;
      changed = true;
      await record(TransitionEvents.taskCompleted, { taskId: task.id, note: command.note }, command.actor);
      await reconcile(command.actor);
      return status;
    },
    {
      validator: (command) => {
        assertOpen();
        const task = authorisedTask(command);
        if (task.status === 'done') throw reject(CommandRejection.conflict, `task ${task.id} is already done`);
        const waitingFor = task.dependsOn.filter((id) => taskById(id)?.status !== 'done');
        if (waitingFor.length > 0) {
          throw reject(CommandRejection.conflict, `task ${task.id} waits for ${waitingFor.join(', ')} to be done first`);
        }
      },
    },
  );

  setHandler(
    reopenTaskUpdate,
    async (command) => {
      const task = taskById(command.taskId)!;
      task.status = 'open';
      task.completedAt = null;
      task.completedBy = null;
      task.note = null;
      task.plannedAt = Date.now();
      changed = true;
      await record(TransitionEvents.taskReopened, { taskId: task.id, reason: command.reason }, command.actor);
      await reconcile(command.actor);
      return status;
    },
    {
      validator: (command) => {
        assertOpen();
        const task = taskById(command.taskId);
        if (!task) throw reject(CommandRejection.notFound, `task ${command.taskId} does not exist in ${status.transitionId}`);
        if (task.status !== 'done') throw reject(CommandRejection.conflict, `task ${task.id} is not done`);
      },
    },
  );

  setHandler(
    signOffMilestoneUpdate,
    async (command) => {
      const milestone = status.milestones.find((m) => m.id === command.milestoneId)!;
      milestone.signedOffBy = command.actor;
      changed = true;
      await record(TransitionEvents.milestoneSignedOff, { milestoneId: milestone.id, note: command.note }, command.actor);
      await reconcile(command.actor);
      return status;
    },
    {
      validator: (command) => {
        assertOpen();
        const milestone = status.milestones.find((m) => m.id === command.milestoneId);
        if (!milestone) {
          throw reject(CommandRejection.notFound, `milestone ${command.milestoneId} does not exist in ${status.transitionId}`);
        }
        if (milestone.met) throw reject(CommandRejection.conflict, `milestone ${milestone.id} is already met`);
      },
    },
  );

  setHandler(
    moveGoLiveUpdate,
    async (command) => {
      const from = status.plan.goLiveDate;
      status.plan = { ...status.plan, goLiveDate: command.goLiveDate, goLiveAt: command.goLiveAt };
      status.goLivePlannedAt = Date.now();
      status.atRisk = false;
      holidays = command.holidays;
      for (const task of status.tasks) {
        task.dueDate = addDays(command.goLiveDate, task.offsetDays);
        task.plannedAt = Date.now();
      }
      for (const milestone of status.milestones) milestone.dueDate = addDays(command.goLiveDate, milestone.offsetDays);
      upsertSearchAttributes([{ key: GoLiveAttribute, value: new Date(command.goLiveAt) }]);
      changed = true;
      await record(
        TransitionEvents.goLiveMoved,
        {
          from,
          to: command.goLiveDate,
          reason: command.reason,
          dueDates: Object.fromEntries(status.tasks.map((task) => [task.id, task.dueDate])),
        },
        command.actor,
      );
      return status;
    },
    {
      validator: (command) => {
        assertOpen();
        if (status.state === 'live') throw reject(CommandRejection.conflict, 'the transition is live already');
        if (command.expectedGoLiveDate !== status.plan.goLiveDate) {
          throw reject(
            CommandRejection.conflict,
            `go-live is ${status.plan.goLiveDate} now, not ${command.expectedGoLiveDate}: someone moved it first`,
          );
        }
        if (command.goLiveDate <= command.today || command.goLiveDate <= amsterdamDate(Date.now())) {
          throw reject(CommandRejection.invalid, 'goLiveDate must be after today');
        }
        if (command.goLiveDate === status.plan.goLiveDate) {
          throw reject(CommandRejection.invalid, `goLiveDate is ${command.goLiveDate} already`);
        }
      },
    },
  );

  setHandler(
    goDecisionUpdate,
    async (command) => {
      status.decision = { decision: 'go', reason: command.reason, by: command.actor, at: new Date().toISOString() };
      status.atRisk = false;
      await record(TransitionEvents.goDecided, { decision: 'go', reason: command.reason }, command.actor);
      await goLive(command.actor);
      return status;
    },
    {
      validator: (_command) => {
        assertOpen();
        if (!status.atRisk) {
          throw reject(CommandRejection.conflict, 'no go / no-go decision is pending: the transition is not at risk');
        }
      },
    },
  );

  setHandler(
    cancelUpdate,
    async (command) => {
      await record(TransitionEvents.cancelled, { reason: command.reason }, command.actor);
      await changeState('cancelled', command.actor);
      return status;
    },
    {
      validator: (_command) => {
        assertOpen();
        if (status.state === 'live') throw reject(CommandRejection.conflict, 'a live transition cannot be cancelled');
      },
    },
  );

  async function goLive(actor: Actor): Promise<void> {
    await changeState('live', actor);
    await record(TransitionEvents.wentLive, { goLiveDate: status.plan.goLiveDate }, actor);
    await reconcile(actor);
  }

  /** On the go-live date: live if every mandatory milestone is met, else at risk until a coordinator decides. */
  async function gate(): Promise<void> {
    const unmet = status.milestones.filter((m) => m.mandatory && m.offsetDays <= 0 && !m.met).map((m) => m.id);
    if (unmet.length === 0) return goLive(SYSTEM);
    status.atRisk = true;
    changed = true;
    await record(TransitionEvents.atRisk, { unmetMilestones: unmet }, SYSTEM);
    await sendNotification(
      { key: `gate:${status.plan.goLiveDate}`, at: Date.now(), kind: 'go-live-gate' },
      status.plan.municipality,
      `At risk: ${status.transitionId} cannot go live on ${status.plan.goLiveDate}`,
      `Mandatory milestones not met: ${unmet.join(', ')}. Decide: go anyway (with a reason) or move the go-live date.`,
    );
  }

  async function sendNotification(alarm: Alarm, organisation: string, subject: string, body: string): Promise<void> {
    const notificationId = `${status.transitionId}:${alarm.key}:${organisation}`;
    await notify({ notificationId, kind: alarm.kind, organisation, transitionId: status.transitionId, subject, body });
    await record(
      TransitionEvents.notificationSent,
      { notificationId, kind: alarm.kind, organisation, taskId: alarm.taskId ?? null },
      SYSTEM,
    );
  }

  async function fire(alarm: Alarm): Promise<void> {
    fired.add(alarm.key);
    const task = alarm.taskId ? taskById(alarm.taskId) : undefined;
    switch (alarm.kind) {
      case 'task-reminder':
        return sendNotification(
          alarm,
          task!.assignee,
          `Reminder: "${task!.title}" is due on ${task!.dueDate}`,
          `Task ${task!.id} of ${status.transitionId} is due in ${alarm.daysBefore} day(s), on ${task!.dueDate}.`,
        );
      case 'escalation':
        return sendNotification(
          alarm,
          status.plan.municipality,
          `Overdue: "${task!.title}" (${task!.assignee}) was due on ${task!.dueDate}`,
          `Task ${task!.id} of ${status.transitionId}, assigned to ${task!.assignee}, is not done.`,
        );
      case 'go-live-reminder': {
        const subject = `Go-live of ${status.transitionId} in ${alarm.daysBefore} day(s), on ${status.plan.goLiveDate}`;
        const body = `Open tasks: ${status.tasks.filter((t) => t.status === 'open').length}.`;
        const recipients = [status.plan.municipality, status.plan.incomingProvider];
        // Added after the first release: the outgoing provider hears of go-live as well.
        if (patched('go-live-reminder-outgoing') && status.plan.outgoingProvider !== status.plan.incomingProvider) {
          recipients.push(status.plan.outgoingProvider);
        }
        for (const organisation of recipients) await sendNotification(alarm, organisation, subject, body);
        return;
      }
      case 'go-live-gate':
        return gate();
    }
  }

  if (!start.carried) {
    await record(TransitionEvents.planned, plannedEventData(status), start.requestedBy);
    registered = true;
  }

  while (status.state !== 'closed' && status.state !== 'cancelled') {
    const next = alarmsFor(status, policy, new BusinessCalendar(holidays)).find((alarm) => !fired.has(alarm.key));
    changed = false;
    const woken = await condition(() => changed, next ? Math.max(1, next.at - Date.now()) : undefined);
    if (!woken && next) await fire(next);
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (start.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      await recording;
      await continueAsNew<typeof transitionWorkflow>({
        ...start,
        carried: { status, holidays, fired: [...fired], lastEventId },
      });
    }
  }
  await condition(allHandlersFinished);
  await recording;
  return status;
}

/** The data of TransitionPlanned: the plan with every task and milestone as first planned. */
function plannedEventData(status: TransitionStatus): TransitionPlannedData {
  return {
    ...status.plan,
    tasks: status.tasks.map(({ id, title, assignee, assigneeRole, dueDate, dependsOn }) => ({
      id, title, assignee, assigneeRole, dueDate, dependsOn,
    })),
    milestones: status.milestones.map(({ id, title, dueDate, mandatory, tasks }) => ({ id, title, dueDate, mandatory, tasks })),
  };
}

function initialStatus(start: TransitionStart): TransitionStatus {
  const now = Date.now();
  return {
    transitionId: start.plan.transitionId,
    plan: start.plan,
    state: 'planned',
    atRisk: false,
    goLivePlannedAt: now,
    tasks: start.tasks.map((task) => ({
      ...task,
      dueDate: addDays(start.plan.goLiveDate, task.offsetDays),
      status: 'open',
      completedAt: null,
      completedBy: null,
      note: null,
      plannedAt: now,
    })),
    milestones: start.milestones.map((milestone) => ({
      ...milestone,
      dueDate: addDays(start.plan.goLiveDate, milestone.offsetDays),
      met: false,
      metAt: null,
      signedOffBy: null,
    })),
    decision: null,
    streamVersion: 0,
  };
}
