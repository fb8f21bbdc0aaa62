import type { EventContext } from '../shared/stream-recorder';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { addDays, daysBetween } from '../../src/time/calendar';
import type { TransitionEvent, TransitionPlanned } from '../../src/transitions/transition.events';
import type { MilestoneStatus, TaskStatus, TransitionStatus } from './definitions';

export type { EventContext };

/**
 * The handover's state after an event: pure, and applied only once the event is in the store.
 * The first event (TransitionPlanned) makes the state; each event adds one to its stream version.
 */
export function evolve(state: TransitionStatus | null, event: TransitionEvent, { at, actor }: EventContext): TransitionStatus {
  if (event.type === 'TransitionPlanned') return planned(event, at);
  if (!state) throw new Error(`${event.type} before TransitionPlanned`);
  const next = { ...state, streamVersion: state.streamVersion + 1 };
  const task = (id: string, change: Partial<TaskStatus>) => ({
    ...next,
    tasks: state.tasks.map((t) => (t.id === id ? { ...t, ...change } : t)),
  });
  const milestone = (id: string, change: Partial<MilestoneStatus>) => ({
    ...next,
    milestones: state.milestones.map((m) => (m.id === id ? { ...m, ...change } : m)),
  });
  const iso = new Date(at).toISOString();

  switch (event.type) {
    case 'TransitionStateChanged':
      return { ...next, state: event.data.to };
    case 'TaskCompleted':
      return task(event.data.taskId, { status: 'done', completedAt: iso, completedBy: actor, note: event.data.note });
    case 'TaskReopened':
      return task(event.data.taskId, { status: 'open', completedAt: null, completedBy: null, note: null, plannedAt: at });
    case 'MilestoneMet':
      return milestone(event.data.milestoneId, { met: true, metAt: iso });
    case 'MilestoneReopened':
      return milestone(event.data.milestoneId, { met: false, metAt: null });
    case 'MilestoneSignedOff':
      return milestone(event.data.milestoneId, { signedOffBy: actor });
    case 'GoLiveMoved': {
      const goLiveDate = event.data.to;
      return {
        ...next,
        plan: { ...state.plan, goLiveDate, goLiveAt: startOfAmsterdamDay(goLiveDate) },
        goLivePlannedAt: at,
        atRisk: false,
        tasks: state.tasks.map((t) => ({ ...t, dueDate: event.data.dueDates[t.id] ?? addDays(goLiveDate, t.offsetDays), plannedAt: at })),
        milestones: state.milestones.map((m) => ({ ...m, dueDate: addDays(goLiveDate, m.offsetDays) })),
      };
    }
    case 'TransitionAtRisk':
      return { ...next, atRisk: true };
    case 'GoDecided':
      return { ...next, atRisk: false, decision: { decision: 'go', reason: event.data.reason, by: actor, at: iso } };
    case 'ClientImportStarted': {
      const clients = state.clients ?? { runningImports: [], total: 0, open: 0 };
      return { ...next, clients: { ...clients, runningImports: [...clients.runningImports, event.data.importId] } };
    }
    case 'ClientImportFinished': {
      const running = (state.clients?.runningImports ?? []).filter((id) => id !== event.data.importId);
      return { ...next, clients: { runningImports: running, total: event.data.total, open: event.data.open } };
    }
    case 'ClientTransfersCounted':
      return { ...next, clients: { runningImports: state.clients?.runningImports ?? [], ...event.data } };
    case 'ResidentCampaignStarted':
      return { ...next, residents: { campaignId: event.data.campaignId, state: 'running' } };
    case 'ResidentCampaignBehindSchedule':
      return { ...next, residents: { campaignId: event.data.campaignId, state: 'behind' } };
    case 'ResidentCampaignBackOnSchedule':
      return { ...next, residents: { campaignId: event.data.campaignId, state: 'running' } };
    case 'ResidentCampaignCompleted':
      return { ...next, residents: { campaignId: event.data.campaignId, state: 'completed' } };
    case 'ResidentCampaignCancelled':
      return { ...next, residents: { campaignId: event.data.campaignId, state: 'cancelled' } };
    case 'TransitionWentLive':
    case 'TransitionCancelled':
    case 'NotificationSent':
      return next;
  }
}

function planned({ data }: TransitionPlanned, at: number): TransitionStatus {
  const { tasks, milestones, ...plan } = data;
  return {
    transitionId: plan.transitionId,
    plan,
    state: 'planned',
    atRisk: false,
    goLivePlannedAt: at,
    tasks: tasks.map((task) => ({
      ...task,
      offsetDays: daysBetween(plan.goLiveDate, task.dueDate),
      status: 'open',
      completedAt: null,
      completedBy: null,
      note: null,
      plannedAt: at,
    })),
    milestones: milestones.map((milestone) => ({
      ...milestone,
      offsetDays: daysBetween(plan.goLiveDate, milestone.dueDate),
      met: false,
      metAt: null,
      signedOffBy: null,
    })),
    decision: null,
    streamVersion: 1,
  };
}
