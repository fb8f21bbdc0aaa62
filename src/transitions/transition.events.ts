import type { Event } from '../events/event.types';
import type { AssigneeRole } from '../plans/plan-template.types';
import type { TransitionPlan, TransitionState } from '../../workflows/transition/definitions';

/**
 * Every event of a transition's stream, with its data: recorded by the handover workflow, read
 * by the projections and the audit export. Data holds codes, dates and the words coordinators
 * and providers typed about the handover; never anything about a resident.
 */
export type PlannedTask = {
  id: string;
  title: string;
  assignee: string;
  assigneeRole: AssigneeRole;
  dueDate: string;
  dependsOn: string[];
};

export type PlannedMilestone = { id: string; title: string; dueDate: string; mandatory: boolean; tasks: string[] };

export type TransitionPlannedData = TransitionPlan & { tasks: PlannedTask[]; milestones: PlannedMilestone[] };

export type TransitionPlanned = Event<'TransitionPlanned', TransitionPlannedData>;
export type TransitionStateChanged = Event<'TransitionStateChanged', { from: TransitionState; to: TransitionState }>;
export type TaskCompleted = Event<'TaskCompleted', { taskId: string; note: string | null }>;
export type TaskReopened = Event<'TaskReopened', { taskId: string; reason: string }>;
export type MilestoneMet = Event<'MilestoneMet', { milestoneId: string }>;
export type MilestoneReopened = Event<'MilestoneReopened', { milestoneId: string }>;
export type MilestoneSignedOff = Event<'MilestoneSignedOff', { milestoneId: string; note: string | null }>;
export type GoLiveMoved = Event<
  'GoLiveMoved',
  { from: string; to: string; reason: string; /** Task id → its new due date. */ dueDates: Record<string, string> }
>;
export type TransitionAtRisk = Event<'TransitionAtRisk', { unmetMilestones: string[] }>;
export type GoDecided = Event<'GoDecided', { decision: 'go'; reason: string }>;
export type TransitionWentLive = Event<'TransitionWentLive', { goLiveDate: string }>;
export type TransitionCancelled = Event<'TransitionCancelled', { reason: string }>;
export type NotificationSent = Event<
  'NotificationSent',
  {
    notificationId: string;
    kind: string;
    organisation: string;
    taskId: string | null;
  }
>;

export type TransitionEvent =
  | TransitionPlanned
  | TransitionStateChanged
  | TaskCompleted
  | TaskReopened
  | MilestoneMet
  | MilestoneReopened
  | MilestoneSignedOff
  | GoLiveMoved
  | TransitionAtRisk
  | GoDecided
  | TransitionWentLive
  | TransitionCancelled
  | NotificationSent;

export type TransitionEventType = TransitionEvent['type'];

/** The schema version of each event type's data; a changed shape is a new version. */
export const TRANSITION_EVENT_SCHEMA_VERSIONS: { readonly [T in TransitionEventType]: number } = {
  TransitionPlanned: 1,
  TransitionStateChanged: 1,
  TaskCompleted: 1,
  TaskReopened: 1,
  MilestoneMet: 1,
  MilestoneReopened: 1,
  MilestoneSignedOff: 1,
  GoLiveMoved: 1,
  TransitionAtRisk: 1,
  GoDecided: 1,
  TransitionWentLive: 1,
  TransitionCancelled: 1,
  NotificationSent: 1,
};
