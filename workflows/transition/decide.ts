import { reject } from '../shared/stream-recorder';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { goLiveDateProblem } from '../../src/transitions/go-live-rules';
import type { NotificationSent, TransitionEvent, TransitionPlannedData } from '../../src/transitions/transition.events';
import {
  CancelCommand,
  ClientTransferCounts,
  CommandRejection,
  CompleteTaskCommand,
  GoDecisionCommand,
  MilestoneStatus,
  MoveGoLiveCommand,
  ReopenTaskCommand,
  ResidentCampaignReport,
  SignOffMilestoneCommand,
  TransitionStart,
  TransitionState,
  TransitionStatus,
} from './definitions';
import { evolve, EventContext } from './evolve';

/** Everything that can change a handover: people's commands and the workflow's own clock. */
export type TransitionCommand =
  | { type: 'PlanTransition'; start: TransitionStart }
  | ({ type: 'CompleteTask' } & CompleteTaskCommand)
  | ({ type: 'ReopenTask' } & ReopenTaskCommand)
  | ({ type: 'SignOffMilestone' } & SignOffMilestoneCommand)
  | ({ type: 'MoveGoLive' } & MoveGoLiveCommand)
  | ({ type: 'DecideGo' } & GoDecisionCommand)
  | ({ type: 'Cancel' } & CancelCommand)
  /** The go-live moment has come: live, or at risk (with the alerts sent) when a mandatory milestone is unmet. */
  | { type: 'ReachGoLive'; notifications: NotificationSent['data'][] }
  | { type: 'RecordNotifications'; notifications: NotificationSent['data'][] }
  | { type: 'StartClientImport'; importId: string }
  | { type: 'FinishClientImport'; importId: string; counts: ClientTransferCounts }
  | { type: 'CountClientTransfers'; counts: ClientTransferCounts }
  | ({ type: 'ReportResidentCampaign' } & ResidentCampaignReport);

export interface DecisionContext extends EventContext {
  /** The milestone whose meeting closes a live handover (from its template). */
  closesAfterMilestone: string;
}

export { reject };

/**
 * The events a command causes in the current state, or a rejection (nothing recorded). Pure:
 * the workflow's update validators call it to refuse early, and its handlers call it again,
 * one at a time, before recording what it returns. Follow-on events (a milestone met by its last
 * task, the state that follows) are part of the decision, so one command is one append.
 */
export function decide(state: TransitionStatus | null, command: TransitionCommand, context: DecisionContext): TransitionEvent[] {
  if (command.type === 'PlanTransition') return decidePlan(state, command.start, context);
  if (!state) throw reject(CommandRejection.unavailable, 'the handover is still being recorded; try again');
  return withConsequences(state, decideOn(state, command, context), context);
}

function decidePlan(state: TransitionStatus | null, start: TransitionStart, { at }: DecisionContext): TransitionEvent[] {
  if (state) throw reject(CommandRejection.conflict, 'the handover exists already');
  const problem = goLiveDateProblem('goLiveDate', start.plan.goLiveDate, amsterdamDate(at));
  if (problem) throw reject(CommandRejection.invalid, problem);
  return [{ type: 'TransitionPlanned', data: plannedEventData(start) }];
}

function decideOn(state: TransitionStatus, command: Exclude<TransitionCommand, { type: 'PlanTransition' }>, { at }: DecisionContext): TransitionEvent[] {
  switch (command.type) {
    case 'CompleteTask': {
      assertOpen(state);
      const task = findTask(state, command.taskId);
      if (!command.actingFor.includes(task.assignee)) {
        throw reject(CommandRejection.forbidden, 'the task is assigned to another organisation');
      }
      if (task.status === 'done') throw reject(CommandRejection.conflict, 'the task is done already');
      const waitingFor = task.dependsOn.filter((id) => state.tasks.find((t) => t.id === id)?.status !== 'done');
      if (waitingFor.length > 0) {
        throw reject(CommandRejection.conflict, `the task waits for ${waitingFor.join(', ')} to be done first`);
      }
      return [{ type: 'TaskCompleted', data: { taskId: task.id, note: command.note } }];
    }
    case 'ReopenTask': {
      assertOpen(state);
      const task = findTask(state, command.taskId);
      if (task.status !== 'done') throw reject(CommandRejection.conflict, 'the task is not done');
      return [{ type: 'TaskReopened', data: { taskId: task.id, reason: command.reason } }];
    }
    case 'SignOffMilestone': {
      assertOpen(state);
      const milestone = state.milestones.find((m) => m.id === command.milestoneId);
      if (!milestone) throw reject(CommandRejection.notFound, 'the milestone does not exist in this handover');
      if (milestone.met) throw reject(CommandRejection.conflict, 'the milestone is met already');
      return [{ type: 'MilestoneSignedOff', data: { milestoneId: milestone.id, note: command.note } }];
    }
    case 'MoveGoLive': {
      assertOpen(state);
      if (state.state === 'live') throw reject(CommandRejection.conflict, 'the handover is live already');
      if (command.expectedGoLiveDate !== state.plan.goLiveDate) {
        throw reject(CommandRejection.conflict, 'go-live was moved by someone else first: expectedGoLiveDate is stale');
      }
      const today = command.today > amsterdamDate(at) ? command.today : amsterdamDate(at);
      const problem = goLiveDateProblem('goLiveDate', command.goLiveDate, today);
      if (problem) throw reject(CommandRejection.invalid, problem);
      if (command.goLiveDate === state.plan.goLiveDate) throw reject(CommandRejection.invalid, 'goLiveDate is the current go-live date');
      const dueDates = Object.fromEntries(state.tasks.map((task) => [task.id, addDays(command.goLiveDate, task.offsetDays)]));
      return [
        { type: 'GoLiveMoved', data: { from: state.plan.goLiveDate, to: command.goLiveDate, reason: command.reason, dueDates } },
      ];
    }
    case 'DecideGo':
      assertOpen(state);
      if (!state.atRisk) throw reject(CommandRejection.conflict, 'no go / no-go decision is pending: the handover is not at risk');
      return [{ type: 'GoDecided', data: { decision: 'go', reason: command.reason } }, ...goLive(state)];
    case 'Cancel':
      assertOpen(state);
      if (state.state === 'live') throw reject(CommandRejection.conflict, 'a live handover cannot be cancelled');
      return [{ type: 'TransitionCancelled', data: { reason: command.reason } }, stateChanged(state.state, 'cancelled')];
    case 'ReachGoLive': {
      if (state.atRisk || ['live', 'closed', 'cancelled'].includes(state.state)) return notificationsSent(command.notifications);
      const unmetMilestones = unmetForGoLive(state);
      const decided: TransitionEvent[] =
        unmetMilestones.length === 0 ? goLive(state) : [{ type: 'TransitionAtRisk', data: { unmetMilestones } }];
      return [...decided, ...notificationsSent(command.notifications)];
    }
    case 'RecordNotifications':
      return notificationsSent(command.notifications);
    case 'StartClientImport':
      assertOpen(state);
      if (state.clients?.runningImports.includes(command.importId)) return [];
      return [{ type: 'ClientImportStarted', data: { importId: command.importId } }];
    case 'FinishClientImport':
      if (!state.clients?.runningImports.includes(command.importId)) return [];
      return [{ type: 'ClientImportFinished', data: { importId: command.importId, ...command.counts } }];
    case 'CountClientTransfers': {
      const known = state.clients;
      if (!known || (known.total === command.counts.total && known.open === command.counts.open)) return [];
      return [{ type: 'ClientTransfersCounted', data: command.counts }];
    }
    case 'ReportResidentCampaign':
      return residentCampaignReported(state, command);
  }
}

const notificationsSent = (notifications: NotificationSent['data'][]): TransitionEvent[] =>
  notifications.map((data) => ({ type: 'NotificationSent', data }));

/** Mandatory milestones due on or before go-live that are not met. */
export function unmetForGoLive(state: TransitionStatus): string[] {
  return state.milestones.filter((m) => m.mandatory && m.offsetDays <= 0 && !m.met).map((m) => m.id);
}

const stateChanged = (from: TransitionState, to: TransitionState): TransitionEvent => ({
  type: 'TransitionStateChanged',
  data: { from, to },
});

function goLive(state: TransitionStatus): TransitionEvent[] {
  return [stateChanged(state.state, 'live'), { type: 'TransitionWentLive', data: { goLiveDate: state.plan.goLiveDate } }];
}

/** The decided events, followed by the milestones and state changes they lead to. */
function withConsequences(state: TransitionStatus, decided: TransitionEvent[], context: DecisionContext): TransitionEvent[] {
  const events = [...decided];
  let current = decided.reduce<TransitionStatus>((s, event) => evolve(s, event, context), state);
  for (let next = consequence(current, context); next; next = consequence(current, context)) {
    events.push(next);
    current = evolve(current, next, context);
  }
  return events;
}

/** The first follow-on event the state calls for: milestones first, then the handover's state. */
function consequence(state: TransitionStatus, { closesAfterMilestone }: DecisionContext): TransitionEvent | null {
  for (const milestone of state.milestones) {
    const met = milestoneCheckPasses(state, milestone) || milestone.signedOffBy !== null;
    if (met !== milestone.met) {
      return { type: met ? 'MilestoneMet' : 'MilestoneReopened', data: { milestoneId: milestone.id } };
    }
  }
  const mandatoryMet = unmetForGoLive(state).length === 0;
  if (state.state === 'planned' && state.tasks.some((task) => task.status === 'done')) return stateChanged('planned', 'preparing');
  if (state.state === 'preparing' && mandatoryMet) return stateChanged('preparing', 'ready');
  if (state.state === 'ready' && !mandatoryMet) return stateChanged('ready', 'preparing');
  const closing = state.milestones.find((m) => m.id === closesAfterMilestone);
  if (state.state === 'live' && closing?.met) return stateChanged('live', 'closed');
  return null;
}

/**
 * What a campaign's report means to the handover. A new campaign (one replacing a cancelled one)
 * takes over; reports of a campaign that is not the current one change nothing.
 */
function residentCampaignReported(state: TransitionStatus, report: ResidentCampaignReport): TransitionEvent[] {
  const current = state.residents;
  const { campaignId } = report;
  if (current && current.campaignId !== campaignId && current.state !== 'cancelled') return [];
  if (!current || current.campaignId !== campaignId) {
    if (report.view === 'cancelled') return [];
    assertOpen(state);
    const started: TransitionEvent = { type: 'ResidentCampaignStarted', data: { campaignId } };
    return [started, ...residentCampaignReported(evolve(state, started, { at: 0, actor: SYSTEM_ACTOR }), report)];
  }
  if (current.state === report.view || current.state === 'completed' || current.state === 'cancelled') return [];
  switch (report.view) {
    case 'running':
      return [{ type: 'ResidentCampaignBackOnSchedule', data: { campaignId } }];
    case 'behind':
      return [{ type: 'ResidentCampaignBehindSchedule', data: { campaignId } }];
    case 'completed':
      return [{ type: 'ResidentCampaignCompleted', data: { campaignId, ...report.outcome! } }];
    case 'cancelled':
      return [{ type: 'ResidentCampaignCancelled', data: { campaignId } }];
  }
}

const SYSTEM_ACTOR = { user: 'system', organisation: null, role: 'system' };

/** A milestone's own check: its data once there is any (client transfers, a resident campaign), else its tasks. */
function milestoneCheckPasses(state: TransitionStatus, milestone: MilestoneStatus): boolean {
  if (milestone.check === 'resident-campaign' && state.residents && state.residents.state !== 'cancelled') {
    return state.residents.state === 'completed';
  }
  if (milestone.check === 'client-transfers' && state.clients) {
    const { runningImports, total, open } = state.clients;
    return runningImports.length === 0 && total > 0 && open === 0;
  }
  return milestone.tasks.length > 0 && milestone.tasks.every((id) => state.tasks.find((t) => t.id === id)?.status === 'done');
}

function assertOpen(state: TransitionStatus): void {
  if (state.state === 'closed' || state.state === 'cancelled') {
    throw reject(CommandRejection.conflict, `the handover is ${state.state}`);
  }
}

function findTask(state: TransitionStatus, taskId: string) {
  const task = state.tasks.find((t) => t.id === taskId);
  if (!task) throw reject(CommandRejection.notFound, 'the task does not exist in this handover');
  return task;
}

/** The data of TransitionPlanned: the plan with every task and milestone as first planned. */
export function plannedEventData(start: TransitionStart): TransitionPlannedData {
  const due = (offsetDays: number) => addDays(start.plan.goLiveDate, offsetDays);
  return {
    ...start.plan,
    tasks: start.tasks.map(({ id, title, assignee, assigneeRole, offsetDays, dependsOn }) => ({
      id, title, assignee, assigneeRole, dueDate: due(offsetDays), dependsOn,
    })),
    milestones: start.milestones.map(({ id, title, offsetDays, mandatory, tasks, check }) => ({
      id, title, dueDate: due(offsetDays), mandatory, tasks, ...(check ? { check } : {}),
    })),
  };
}
