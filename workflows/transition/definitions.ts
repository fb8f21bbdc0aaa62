import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignOutcome } from '../../src/campaigns/campaign.events';
import type { Actor } from '../../src/events/event.types';
import type { AssigneeRole, MilestoneCheck } from '../../src/plans/plan-template.types';

export type TransitionState = 'planned' | 'preparing' | 'ready' | 'live' | 'closed' | 'cancelled';

/** What a coordinator fixes when creating a handover; codes only, never personal data. */
export type TransitionPlan = {
  transitionId: string;
  municipality: string;
  district: string;
  outgoingProvider: string;
  incomingProvider: string;
  /** Calendar date in Europe/Amsterdam, YYYY-MM-DD. */
  goLiveDate: string;
  /** The instant the go-live date starts in Europe/Amsterdam (ISO 8601, UTC). */
  goLiveAt: string;
  template: { code: string; version: number };
};

export interface TaskPlan {
  id: string;
  title: string;
  offsetDays: number;
  assigneeRole: AssigneeRole;
  /** The organisation (code) that does it; for a consortium, its main contractor or a member may. */
  assignee: string;
  dependsOn: string[];
}

export interface MilestonePlan {
  id: string;
  title: string;
  offsetDays: number;
  mandatory: boolean;
  tasks: string[];
  check?: MilestoneCheck;
}

/** Reminder and escalation policy, fixed per transition when it starts. */
export interface NotificationPolicy {
  reminderOffsetsDays: number[];
  goLiveReminderOffsetsDays: number[];
  escalationAfterDays: number;
  /** Business days before go-live on which unfinished client transfers escalate to the coordinator (runs begun before it existed: 10). */
  clientEscalationBusinessDays?: number;
}

/** The workflow's input. `holidays`: Dutch public holidays (YYYY-MM-DD) over the handover's span. */
export interface TransitionStart {
  plan: TransitionPlan;
  tasks: TaskPlan[];
  milestones: MilestonePlan[];
  closesAfterMilestone: string;
  policy: NotificationPolicy;
  holidays: string[];
  requestedBy: Actor;
  correlationId: string;
  /** Continue as new once the history has this many events (default 5,000). */
  maxHistoryEvents?: number;
  /**
   * Epoch ms after which the handover must not be recorded: its creator has stopped waiting
   * (503), so a run that begins later (Temporal or the workers were away) fails instead.
   */
  notAfter?: number;
  /** Present when the workflow continued as new: everything it had. */
  carried?: CarriedState;
}

export interface TaskStatus extends TaskPlan {
  dueDate: string;
  status: 'open' | 'done';
  completedAt: string | null;
  completedBy: Actor | null;
  note: string | null;
  /** When its due date was (re)planned, epoch ms: reminders that were already past then are skipped. */
  plannedAt: number;
}

export interface MilestoneStatus extends MilestonePlan {
  dueDate: string;
  met: boolean;
  metAt: string | null;
  signedOffBy: Actor | null;
}

export interface TransitionStatus {
  transitionId: string;
  plan: TransitionPlan;
  state: TransitionState;
  atRisk: boolean;
  /** When the go-live date was (re)planned, epoch ms: go-live reminders already past then are skipped. */
  goLivePlannedAt: number;
  tasks: TaskStatus[];
  milestones: MilestoneStatus[];
  decision: { decision: 'go'; reason: string; by: Actor; at: string } | null;
  /** Client transfers as the handover knows them: absent until a first import. */
  clients?: ClientTransferTally;
  /** The resident campaign as the handover knows it: absent until one is approved. */
  residents?: ResidentCampaignTally;
  streamVersion: number;
}

/** The handover's current resident campaign: its state as the campaign reported it. */
export interface ResidentCampaignTally {
  campaignId: string;
  state: 'running' | 'behind' | 'completed' | 'cancelled';
}

/** What a campaign reports to its handover (see workflows/campaign). */
export interface ResidentCampaignReport {
  campaignId: string;
  view: 'running' | 'behind' | 'completed' | 'cancelled';
  outcome: CampaignOutcome | null;
}

/** What the handover knows of its client transfers: imports running and the last counts. */
export interface ClientTransferTally {
  runningImports: string[];
  total: number;
  open: number;
}

/** Counts of a handover's client transfers, from the read model. */
export interface ClientTransferCounts {
  total: number;
  open: number;
}

export interface CarriedState {
  status: TransitionStatus;
  holidays: string[];
  fired: string[];
  lastEventId: string | null;
}

// Commands. Each carries the acting user; the API fills it in from the bearer token.
export interface CommandActor {
  actor: Actor;
  /** Organisations the actor may act for: its own and the consortia it belongs to. */
  actingFor: string[];
  /**
   * Epoch ms after which the command must not start: its caller has stopped waiting (503), so
   * a command still queued behind others then is refused rather than applied unseen.
   */
  notAfter?: number;
}
export interface CompleteTaskCommand extends CommandActor { taskId: string; note: string | null }
export interface ReopenTaskCommand extends CommandActor { taskId: string; reason: string }
export interface SignOffMilestoneCommand extends CommandActor { milestoneId: string; note: string | null }
export interface MoveGoLiveCommand extends CommandActor {
  /** The go-live date the coordinator saw: a concurrent move makes this command stale (409). */
  expectedGoLiveDate: string;
  goLiveDate: string;
  goLiveAt: string;
  holidays: string[];
  reason: string;
  /** Today in Europe/Amsterdam, as the API saw it: a new date must lie after it. */
  today: string;
}
export interface GoDecisionCommand extends CommandActor { reason: string }
export interface CancelCommand extends CommandActor { reason: string }

export const transitionStatusQuery = defineQuery<TransitionStatus>('transitionStatus');
/** Completes once the transition is recorded in the database, so a creator can read its own write. */
export const transitionRegisteredUpdate = defineUpdate<TransitionStatus>('transitionRegistered');
export const completeTaskUpdate = defineUpdate<TransitionStatus, [CompleteTaskCommand]>('completeTask');
export const reopenTaskUpdate = defineUpdate<TransitionStatus, [ReopenTaskCommand]>('reopenTask');
export const signOffMilestoneUpdate = defineUpdate<TransitionStatus, [SignOffMilestoneCommand]>('signOffMilestone');
export const moveGoLiveUpdate = defineUpdate<TransitionStatus, [MoveGoLiveCommand]>('moveGoLive');
export const goDecisionUpdate = defineUpdate<TransitionStatus, [GoDecisionCommand]>('decideGo');
export const cancelUpdate = defineUpdate<TransitionStatus, [CancelCommand]>('cancel');
/** From the client import workflow: an import begins (reopens the client milestone) and ends (a check on data). */
export const clientImportStartedUpdate = defineUpdate<TransitionStatus, [{ importId: string }]>('clientImportStarted');
export const clientImportFinishedUpdate = defineUpdate<TransitionStatus, [{ importId: string }]>('clientImportFinished');
/** From a client transfer that finished with none left open: check the client milestone against the data. */
export const reportResidentCampaignUpdate = defineUpdate<TransitionStatus, [ResidentCampaignReport]>('reportResidentCampaign');
export const checkClientTransfersUpdate = defineUpdate<TransitionStatus, []>('checkClientTransfers');

/** Search attributes, so the Temporal UI can filter handovers. Registered with the server at start. */
export const MunicipalityAttribute = defineSearchAttributeKey('Municipality', 'KEYWORD');
export const DistrictAttribute = defineSearchAttributeKey('District', 'KEYWORD');
export const TransitionStateAttribute = defineSearchAttributeKey('TransitionState', 'KEYWORD');
export const GoLiveAttribute = defineSearchAttributeKey('GoLiveDate', 'DATETIME');
export const TRANSITION_SEARCH_ATTRIBUTES = [
  MunicipalityAttribute,
  DistrictAttribute,
  TransitionStateAttribute,
  GoLiveAttribute,
];

/** Error types of rejected commands; the API maps them to HTTP statuses. */
export const CommandRejection = {
  notFound: 'NotFound',
  forbidden: 'Forbidden',
  conflict: 'Conflict',
  invalid: 'Invalid',
  /** The event store could not be reached in time: nothing was applied; try again. */
  unavailable: 'Unavailable',
} as const;
