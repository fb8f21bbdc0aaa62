import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignMessageFields } from '../../src/campaigns/campaign-message';
import type { CampaignOutcome, CampaignState } from '../../src/campaigns/campaign.events';
import type { Actor } from '../../src/events/event.types';
import type { CommandActor } from '../transition/definitions';

/** The handover a campaign informs about: codes and dates only. */
export interface CampaignHandover {
  transitionId: string;
  municipality: string;
  district: string;
  goLiveDate: string;
}

/** How the campaign works through its recipients; the defaults suit an SMTP relay and a print shop. */
export interface CampaignLimits {
  /** E-mails per page (one activity, heartbeating its progress). */
  emailPage: number;
  /** Pages before the workflow continues as new. */
  pagesPerRun: number;
}

export const DEFAULT_CAMPAIGN_LIMITS: CampaignLimits = { emailPage: 500, pagesPerRun: 100 };

export interface CampaignStart {
  campaignId: string;
  handover: CampaignHandover;
  templateVersion: number;
  fields: CampaignMessageFields;
  /** YYYY-MM-DD: by default 10 Dutch business days before go-live. */
  deadline: string;
  requestedBy: Actor;
  correlationId: string;
  limits?: Partial<CampaignLimits>;
  carried?: CarriedCampaign;
}

export interface CarriedCampaign {
  status: CampaignStatus;
  lastEventId: string | null;
  /** Pages in a row whose every message was refused for now: the back-off grows with them. */
  deferredPages: number;
  reported: HandoverView;
}

/** What the handover was last told about its campaign. */
export type HandoverView = 'running' | 'behind' | 'completed' | 'cancelled' | null;

export type LetterBatchState = 'rendered' | 'handed-to-print' | 'posted';

export interface CampaignStatus {
  campaignId: string;
  handover: CampaignHandover;
  state: CampaignState;
  templateVersion: number;
  fields: CampaignMessageFields;
  deadline: string;
  approved: { by: Actor; at: string; messageSha256: string } | null;
  /** The ledger as frozen at approval; null before. */
  frozen: { addressLetters: number; clientLetters: number; emails: number } | null;
  emails: { sent: number; bounced: number; skipped: number; remaining: number };
  letters: { rendered: number; skipped: number; posted: number; fallback: number };
  batches: Array<{ batchNo: number; letters: number; state: LetterBatchState; pdfSha256: string }>;
  /** The last batch number rendered, also of a batch whose every letter was skipped (no print file, not in `batches`). */
  lastBatchNo: number;
  /** When sending began (epoch ms) and how many messages have gone through since: the measured rate. */
  sendingSince: number | null;
  processed: number;
  ratePerHour: number | null;
  projectedFinish: string | null;
  behindSchedule: boolean;
  pauseReason: string | null;
  cancelReason: string | null;
  outcome: CampaignOutcome | null;
  streamVersion: number;
}

export interface EditCampaignCommand extends CommandActor {
  fields?: CampaignMessageFields;
  templateVersion?: number;
  deadline?: string;
}
export interface ApproveCampaignCommand extends CommandActor {
  /** The version of the message the coordinator read (stream version): an edit since makes it stale (409). */
  expectedVersion: number;
}
export interface PauseCampaignCommand extends CommandActor { reason: string }
export type ResumeCampaignCommand = CommandActor;
export interface CancelCampaignCommand extends CommandActor { reason: string }
export interface LetterBatchCommand extends CommandActor { batchNo: number }

export const campaignStatusQuery = defineQuery<CampaignStatus>('campaignStatus');
/** Completes once the campaign's draft is in the store. */
export const campaignDraftedUpdate = defineUpdate<CampaignStatus>('campaignDrafted');
export const editCampaignUpdate = defineUpdate<CampaignStatus, [EditCampaignCommand]>('editCampaign');
export const approveCampaignUpdate = defineUpdate<CampaignStatus, [ApproveCampaignCommand]>('approveCampaign');
export const pauseCampaignUpdate = defineUpdate<CampaignStatus, [PauseCampaignCommand]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignStatus, [ResumeCampaignCommand]>('resumeCampaign');
export const cancelCampaignUpdate = defineUpdate<CampaignStatus, [CancelCampaignCommand]>('cancelCampaign');
export const handLetterBatchToPrintUpdate = defineUpdate<CampaignStatus, [LetterBatchCommand]>('handLetterBatchToPrint');
export const markLetterBatchPostedUpdate = defineUpdate<CampaignStatus, [LetterBatchCommand]>('markLetterBatchPosted');
