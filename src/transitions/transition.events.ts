import type { TransitionPlan } from '../../workflows/transition.definitions';

/** Event types of a transition's stream, with the schema version of their data. */
export const TransitionEvents = {
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

export interface PlannedTaskData {
  id: string;
  title: string;
  assignee: string;
  assigneeRole: string;
  dueDate: string;
  dependsOn: string[];
}

export interface TransitionPlannedData extends TransitionPlan {
  tasks: PlannedTaskData[];
  milestones: Array<{ id: string; title: string; dueDate: string; mandatory: boolean; tasks: string[] }>;
}

export interface StateChangedData {
  from: string;
  to: string;
}

export interface TaskEventData {
  taskId: string;
}

export interface GoLiveMovedData {
  from: string;
  to: string;
  reason: string;
  dueDates: Record<string, string>;
}
