import type { CampaignEvent } from '../../src/campaigns/campaign.events';
import { addDays } from '../../src/time/calendar';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { EventContext, reject } from '../shared/stream-recorder';
import { CommandRejection } from '../transition/definitions';
import type {
  ApproveCampaignCommand,
  CampaignStart,
  CampaignStatus,
  CancelCampaignCommand,
  EditCampaignCommand,
  LetterBatchCommand,
  PauseCampaignCommand,
  ResumeCampaignCommand,
} from './definitions';
import { evolveCampaign } from './evolve';

/** One page of e-mails as the ledger sender reports it. */
export interface EmailPage {
  sent: number;
  bounced: number;
  deferred: number;
  skipped: number;
  fallbackLetters: number;
  remaining: number;
  /**
   * The campaign's e-mail ledger after the page, in total: what the page's own counts miss when an
   * earlier attempt of it died after recording some outcomes (a worker killed mid-page). The
   * recorded counts are then these totals less what the campaign counted before.
   */
  ledger?: { sent: number; bounced: number; skipped: number; fallbackLetters: number };
}

export interface RenderedBatch {
  batchNo: number;
  letters: number;
  skipped: number;
  pdfSha256: string;
}

/** Everything that can change a campaign: the coordinator's commands and the workflow's own work and clock. */
export type CampaignCommand =
  | { type: 'Draft'; start: CampaignStart }
  | ({ type: 'Edit' } & EditCampaignCommand)
  /** `digest`: the message's hash and the merge fields it lacks, computed by an activity. */
  | ({ type: 'Approve'; digest: { messageSha256: string; missingFields: string[] } } & ApproveCampaignCommand)
  | { type: 'Freeze'; counts: { addressLetters: number; clientLetters: number; emails: number } }
  | ({ type: 'Pause' } & PauseCampaignCommand)
  | ({ type: 'Resume' } & ResumeCampaignCommand)
  | ({ type: 'Cancel' } & CancelCampaignCommand)
  | { type: 'RecordEmailPage'; page: EmailPage }
  | { type: 'RecordLetterBatch'; batch: RenderedBatch }
  | ({ type: 'HandToPrint' } & LetterBatchCommand)
  | ({ type: 'MarkPosted' } & LetterBatchCommand)
  | { type: 'CheckDeadline' };

const HOUR_MS = 3_600_000;

/**
 * The events a command causes in the campaign's current state, or a rejection (nothing recorded).
 * Pure: validators call it to refuse early, handlers call it again inside the lock. Completion is a
 * consequence of the events that finish the last recipient, decided in the same append.
 */
export function decideCampaign(state: CampaignStatus | null, command: CampaignCommand, context: EventContext): CampaignEvent[] {
  if (command.type === 'Draft') {
    if (state) throw reject(CommandRejection.conflict, 'the campaign exists already');
    const { campaignId, handover, templateVersion, fields, deadline } = command.start;
    return [
      {
        type: 'CampaignDrafted',
        data: { campaignId, transitionId: handover.transitionId, municipality: handover.municipality, district: handover.district, templateVersion, fields, deadline },
      },
    ];
  }
  if (!state) throw reject(CommandRejection.unavailable, 'the campaign is still being recorded; try again');
  const decided = decideOn(state, command, context);
  const after = decided.reduce<CampaignStatus>((s, event) => evolveCampaign(s, event, context), state);
  return isComplete(after) ? [...decided, { type: 'CampaignCompleted', data: outcomeOf(after) }] : decided;
}

function decideOn(state: CampaignStatus, command: Exclude<CampaignCommand, { type: 'Draft' }>, context: EventContext): CampaignEvent[] {
  switch (command.type) {
    case 'Edit': {
      assertCoordinator(command.actor.role);
      if (state.state !== 'draft') throw reject(CommandRejection.conflict, `the campaign is ${state.state}: an approved campaign cannot be edited, only cancelled and replaced`);
      const fields = command.fields ?? state.fields;
      const templateVersion = command.templateVersion ?? state.templateVersion;
      const deadline = command.deadline ?? state.deadline;
      if (deadline > state.handover.goLiveDate) throw reject(CommandRejection.invalid, 'deadline must not lie after the go-live date');
      return [{ type: 'CampaignEdited', data: { templateVersion, fields, deadline } }];
    }
    case 'Approve':
      assertCoordinator(command.actor.role);
      if (state.state !== 'draft') throw reject(CommandRejection.conflict, `the campaign is ${state.state}, not a draft`);
      if (command.expectedVersion !== state.streamVersion) {
        throw reject(CommandRejection.conflict, 'the campaign was edited since you read it: read it again before approving');
      }
      if (command.digest.missingFields.length > 0) {
        throw reject(CommandRejection.invalid, `the message lacks merge fields: ${command.digest.missingFields.join(', ')}`);
      }
      return [{ type: 'CampaignApproved', data: { templateVersion: state.templateVersion, messageSha256: command.digest.messageSha256 } }];
    case 'Freeze':
      if (state.frozen || state.state !== 'approved') return [];
      return [{ type: 'RecipientsFrozen', data: command.counts }];
    case 'Pause':
      assertCoordinator(command.actor.role);
      if (state.state !== 'sending' && state.state !== 'approved') throw reject(CommandRejection.conflict, `the campaign is ${state.state}: only a sending campaign can be paused`);
      return [{ type: 'CampaignPaused', data: { reason: command.reason } }];
    case 'Resume':
      assertCoordinator(command.actor.role);
      if (state.state !== 'paused') throw reject(CommandRejection.conflict, `the campaign is ${state.state}, not paused`);
      return [{ type: 'CampaignResumed', data: {} }];
    case 'Cancel':
      assertCoordinator(command.actor.role);
      if (state.state === 'completed' || state.state === 'cancelled') throw reject(CommandRejection.conflict, `the campaign is ${state.state}`);
      return [{ type: 'CampaignCancelled', data: { reason: command.reason } }];
    case 'RecordEmailPage': {
      const event: CampaignEvent = { type: 'EmailPageSent', data: emailPageCounts(state, command.page) };
      return [event, ...projection(state, event, context)];
    }
    case 'RecordLetterBatch': {
      if (command.batch.batchNo <= state.lastBatchNo) return [];
      const event: CampaignEvent = { type: 'LetterBatchRendered', data: command.batch };
      return [event, ...projection(state, event, context)];
    }
    case 'HandToPrint': {
      assertCoordinator(command.actor.role);
      const batch = findBatch(state, command.batchNo);
      if (batch.state !== 'rendered') throw reject(CommandRejection.conflict, `letter batch ${batch.batchNo} is ${batch.state} already`);
      return [{ type: 'LetterBatchHandedToPrint', data: { batchNo: batch.batchNo } }];
    }
    case 'MarkPosted': {
      assertCoordinator(command.actor.role);
      const batch = findBatch(state, command.batchNo);
      if (batch.state === 'posted') throw reject(CommandRejection.conflict, `letter batch ${batch.batchNo} is posted already`);
      if (batch.state !== 'handed-to-print') throw reject(CommandRejection.conflict, `letter batch ${batch.batchNo} must be handed to print before it is posted`);
      return [{ type: 'LetterBatchPosted', data: { batchNo: batch.batchNo, letters: batch.letters } }];
    }
    case 'CheckDeadline': {
      if (!isRunning(state) || context.at < deadlineEndsAt(state)) return [];
      if (state.behindSchedule) return [];
      return [{ type: 'CampaignBehindSchedule', data: { reason: 'deadline-passed', deadline: state.deadline, projectedFinish: state.projectedFinish, remaining: remainingRecipients(state) } }];
    }
  }
}

/** A page's counts as recorded: from the ledger's totals when the page brings them, so that no outcome goes uncounted. */
function emailPageCounts(state: CampaignStatus, { ledger, ...page }: EmailPage): Omit<EmailPage, 'ledger'> {
  if (!ledger) return page;
  const since = (total: number, counted: number, own: number) => Math.max(own, total - counted);
  return {
    ...page,
    sent: since(ledger.sent, state.emails.sent, page.sent),
    bounced: since(ledger.bounced, state.emails.bounced, page.bounced),
    skipped: since(ledger.skipped, state.emails.skipped, page.skipped),
    fallbackLetters: since(ledger.fallbackLetters, state.letters.fallback, page.fallbackLetters),
  };
}

/**
 * The finish the measured pace projects, and whether it passes the deadline: a rate over every
 * message handled since sending began (e-mails through SMTP, letters rendered). Letters waiting
 * for the post count as remaining but not in the pace: posting is the print shop's, not ours.
 */
function projection(state: CampaignStatus, event: CampaignEvent, context: EventContext): CampaignEvent[] {
  const after = evolveCampaign(state, event, context);
  // A cancelled campaign's last page (the one in flight) is counted, but it has no schedule to keep.
  if (!isRunning(after) || after.sendingSince === null || context.at <= after.sendingSince || after.processed === 0) return [];
  const ratePerHour = (after.processed / (context.at - after.sendingSince)) * HOUR_MS;
  const toSend = after.emails.remaining + lettersToRender(after);
  const projectedFinish = new Date(context.at + Math.ceil((toSend / ratePerHour) * HOUR_MS)).toISOString();
  const events: CampaignEvent[] = [{ type: 'CampaignProjected', data: { ratePerHour: Math.round(ratePerHour * 10) / 10, projectedFinish } }];
  const late = Date.parse(projectedFinish) >= deadlineEndsAt(after);
  if (late && !after.behindSchedule && toSend > 0) {
    events.push({ type: 'CampaignBehindSchedule', data: { reason: 'projection', deadline: after.deadline, projectedFinish, remaining: remainingRecipients(after) } });
  } else if (!late && after.behindSchedule && context.at < deadlineEndsAt(after)) {
    events.push({ type: 'CampaignBackOnSchedule', data: { projectedFinish } });
  }
  return events;
}

/** The end of the deadline day in Europe/Amsterdam, epoch ms. */
export const deadlineEndsAt = (state: Pick<CampaignStatus, 'deadline'>) => Date.parse(startOfAmsterdamDay(addDays(state.deadline, 1)));

export const isRunning = (state: CampaignStatus) => state.state === 'approved' || state.state === 'sending' || state.state === 'paused';

/** Letters frozen or added as fallback that are not yet in a print file. */
export function lettersToRender(state: CampaignStatus): number {
  if (!state.frozen) return 0;
  return state.frozen.addressLetters + state.frozen.clientLetters + state.letters.fallback - state.letters.rendered - state.letters.skipped;
}

/** Recipients not yet sent, bounced, skipped or posted. */
export function remainingRecipients(state: CampaignStatus): number {
  return state.emails.remaining + lettersToRender(state) + (state.letters.rendered - state.letters.posted);
}

export function isComplete(state: CampaignStatus): boolean {
  return state.state === 'sending' && state.frozen !== null && remainingRecipients(state) === 0;
}

export function outcomeOf(state: CampaignStatus) {
  return {
    emailsSent: state.emails.sent,
    emailsBounced: state.emails.bounced,
    lettersPosted: state.letters.posted,
    fallbackLetters: state.letters.fallback,
    skipped: state.emails.skipped + state.letters.skipped,
  };
}

function assertCoordinator(role: string): void {
  if (role !== 'coordinator') throw reject(CommandRejection.forbidden, 'only the municipality\'s coordinator runs a campaign');
}

function findBatch(state: CampaignStatus, batchNo: number) {
  const batch = state.batches.find((b) => b.batchNo === batchNo);
  if (!batch) throw reject(CommandRejection.notFound, `letter batch ${batchNo} does not exist in this campaign`);
  return batch;
}
