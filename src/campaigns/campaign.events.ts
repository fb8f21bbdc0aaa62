import type { Event } from '../events/event.types';
import type { CampaignMessageFields } from './campaign-message';

/**
 * Every event of a campaign's stream (`campaign.<transitionId>.<campaignId>`). Data holds counts,
 * dates, codes and the message's merge fields (facts about the handover and its organisations);
 * never a resident's address, name or e-mail address: recipients live in the ledger
 * (`campaign_recipients`) under ids that are no personal data.
 */
export type CampaignState = 'draft' | 'approved' | 'sending' | 'paused' | 'completed' | 'cancelled';

export type CampaignDrafted = Event<
  'CampaignDrafted',
  {
    campaignId: string;
    transitionId: string;
    municipality: string;
    district: string;
    templateVersion: number;
    fields: CampaignMessageFields;
    /** YYYY-MM-DD: by this day every recipient must be informed. */
    deadline: string;
  }
>;
export type CampaignEdited = Event<'CampaignEdited', { templateVersion: number; fields: CampaignMessageFields; deadline: string }>;
/** The coordinator approved exactly this version of the message (its hash): nothing can be edited after. */
export type CampaignApproved = Event<'CampaignApproved', { templateVersion: number; messageSha256: string }>;
/** The recipients as frozen at approval: the ledger rows per channel. */
export type RecipientsFrozen = Event<'RecipientsFrozen', { addressLetters: number; clientLetters: number; emails: number }>;
export type CampaignPaused = Event<'CampaignPaused', { reason: string }>;
export type CampaignResumed = Event<'CampaignResumed', Record<string, never>>;
export type CampaignCancelled = Event<'CampaignCancelled', { reason: string }>;
/** One page of e-mails went through the SMTP server (the counts of that page). */
export type EmailPageSent = Event<
  'EmailPageSent',
  { sent: number; bounced: number; deferred: number; skipped: number; fallbackLetters: number; remaining: number }
>;
/** A print file of letters is ready for download, with its fingerprint. */
export type LetterBatchRendered = Event<'LetterBatchRendered', { batchNo: number; letters: number; skipped: number; pdfSha256: string }>;
export type LetterBatchHandedToPrint = Event<'LetterBatchHandedToPrint', { batchNo: number }>;
export type LetterBatchPosted = Event<'LetterBatchPosted', { batchNo: number; letters: number }>;
/** The measured pace: at this rate the campaign finishes then (ISO instant), or null while nothing is measured. */
export type CampaignProjected = Event<'CampaignProjected', { ratePerHour: number; projectedFinish: string | null }>;
/** The coordinator is alerted: the projection passes the deadline, or the deadline passed with recipients left. */
export type CampaignBehindSchedule = Event<
  'CampaignBehindSchedule',
  { reason: 'projection' | 'deadline-passed'; deadline: string; projectedFinish: string | null; remaining: number }
>;
export type CampaignBackOnSchedule = Event<'CampaignBackOnSchedule', { projectedFinish: string }>;
export type CampaignCompleted = Event<'CampaignCompleted', CampaignOutcome>;

/** What a finished campaign did, per channel. */
export type CampaignOutcome = {
  emailsSent: number;
  emailsBounced: number;
  lettersPosted: number;
  fallbackLetters: number;
  skipped: number;
};

export type CampaignEvent =
  | CampaignDrafted
  | CampaignEdited
  | CampaignApproved
  | RecipientsFrozen
  | CampaignPaused
  | CampaignResumed
  | CampaignCancelled
  | EmailPageSent
  | LetterBatchRendered
  | LetterBatchHandedToPrint
  | LetterBatchPosted
  | CampaignProjected
  | CampaignBehindSchedule
  | CampaignBackOnSchedule
  | CampaignCompleted;

export type CampaignEventType = CampaignEvent['type'];

export const CAMPAIGN_EVENT_TYPES: readonly CampaignEventType[] = [
  'CampaignDrafted',
  'CampaignEdited',
  'CampaignApproved',
  'RecipientsFrozen',
  'CampaignPaused',
  'CampaignResumed',
  'CampaignCancelled',
  'EmailPageSent',
  'LetterBatchRendered',
  'LetterBatchHandedToPrint',
  'LetterBatchPosted',
  'CampaignProjected',
  'CampaignBehindSchedule',
  'CampaignBackOnSchedule',
  'CampaignCompleted',
];

export const CAMPAIGN_EVENT_SCHEMA_VERSIONS: { readonly [T in CampaignEventType]: number } = Object.fromEntries(
  CAMPAIGN_EVENT_TYPES.map((type) => [type, 1]),
) as { readonly [T in CampaignEventType]: number };

/** The workflow id, and stream id, of one campaign. */
export const campaignIdOf = (transitionId: string, campaignId: string) => `campaign.${transitionId}.${campaignId}`;
