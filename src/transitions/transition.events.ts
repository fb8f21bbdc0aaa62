import type { CampaignOutcome } from '../campaigns/campaign.events';
import type { Event } from '../events/event.types';
import type { AssigneeRole, MilestoneCheck } from '../plans/plan-template.types';
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

export type PlannedMilestone = { id: string; title: string; dueDate: string; mandatory: boolean; tasks: string[]; check?: MilestoneCheck };

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

/** An import of clients began: the client milestone waits for it. */
export type ClientImportStarted = Event<'ClientImportStarted', { importId: string }>;
/** Every client of the import is listed; the counts of the handover's transfers then. */
export type ClientImportFinished = Event<'ClientImportFinished', { importId: string; total: number; open: number }>;
/** The handover's transfers counted again (a check on data, when none seemed open). */
export type ClientTransfersCounted = Event<'ClientTransfersCounted', { total: number; open: number }>;

/** A resident campaign was approved and informs the district's residents: the "residents informed" milestone waits for it. */
export type ResidentCampaignStarted = Event<'ResidentCampaignStarted', { campaignId: string }>;
/** The campaign will not inform everyone by its deadline, or did not: the handover is at risk. */
export type ResidentCampaignBehindSchedule = Event<'ResidentCampaignBehindSchedule', { campaignId: string }>;
export type ResidentCampaignBackOnSchedule = Event<'ResidentCampaignBackOnSchedule', { campaignId: string }>;
/** Every recipient is sent, posted or bounced without fallback; with the campaign's counts. */
export type ResidentCampaignCompleted = Event<'ResidentCampaignCompleted', { campaignId: string } & CampaignOutcome>;
export type ResidentCampaignCancelled = Event<'ResidentCampaignCancelled', { campaignId: string }>;

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
  | NotificationSent
  | ClientImportStarted
  | ClientImportFinished
  | ClientTransfersCounted
  | ResidentCampaignStarted
  | ResidentCampaignBehindSchedule
  | ResidentCampaignBackOnSchedule
  | ResidentCampaignCompleted
  | ResidentCampaignCancelled;

export type TransitionEventType = TransitionEvent['type'];

/** The schema version of each event type's data; a changed shape is a new version. */
export const TRANSITION_EVENT_SCHEMA_VERSIONS: { readonly [T in TransitionEventType]: number } = {
  /** 2: milestones may carry a check on data. */
  TransitionPlanned: 2,
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
  ClientImportStarted: 1,
  ClientImportFinished: 1,
  ClientTransfersCounted: 1,
  ResidentCampaignStarted: 1,
  ResidentCampaignBehindSchedule: 1,
  ResidentCampaignBackOnSchedule: 1,
  ResidentCampaignCompleted: 1,
  ResidentCampaignCancelled: 1,
};
