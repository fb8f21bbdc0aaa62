import type { CampaignEvent } from '../../src/campaigns/campaign.events';
import type { EventContext } from '../shared/stream-recorder';
import type { CampaignStart, CampaignStatus } from './definitions';

/** The campaign's state after one of its events. Pure. */
export function evolveCampaign(state: CampaignStatus | null, event: CampaignEvent, context: EventContext, start?: CampaignStart): CampaignStatus {
  if (event.type === 'CampaignDrafted') return drafted(event.data, start);
  if (!state) throw new Error(`${event.type} before CampaignDrafted`);
  const next = { ...state, streamVersion: state.streamVersion + 1 };
  switch (event.type) {
    case 'CampaignEdited':
      return { ...next, ...event.data };
    case 'CampaignApproved':
      return {
        ...next,
        state: 'approved',
        approved: { by: context.actor, at: new Date(context.at).toISOString(), messageSha256: event.data.messageSha256 },
      };
    case 'RecipientsFrozen':
      return {
        ...next,
        state: state.state === 'approved' ? 'sending' : state.state,
        frozen: event.data,
        emails: { ...state.emails, remaining: event.data.emails },
        sendingSince: context.at,
      };
    case 'CampaignPaused':
      return { ...next, state: 'paused', pauseReason: event.data.reason };
    case 'CampaignResumed':
      return { ...next, state: state.frozen ? 'sending' : 'approved', pauseReason: null };
    case 'CampaignCancelled':
      return { ...next, state: 'cancelled', cancelReason: event.data.reason };
    case 'EmailPageSent': {
      const { sent, bounced, skipped, fallbackLetters, remaining } = event.data;
      return {
        ...next,
        emails: { sent: state.emails.sent + sent, bounced: state.emails.bounced + bounced, skipped: state.emails.skipped + skipped, remaining },
        letters: { ...state.letters, fallback: state.letters.fallback + fallbackLetters },
        processed: state.processed + sent + bounced + skipped,
      };
    }
    case 'LetterBatchRendered': {
      const { batchNo, letters, skipped, pdfSha256 } = event.data;
      return {
        ...next,
        letters: { ...state.letters, rendered: state.letters.rendered + letters, skipped: state.letters.skipped + skipped },
        // A batch whose every letter was skipped (erased meanwhile) has no print file.
        batches: letters > 0 ? [...state.batches, { batchNo, letters, state: 'rendered', pdfSha256 }] : state.batches,
        lastBatchNo: Math.max(state.lastBatchNo, batchNo),
        processed: state.processed + letters + skipped,
      };
    }
    case 'LetterBatchHandedToPrint':
      return { ...next, batches: state.batches.map((b) => (b.batchNo === event.data.batchNo ? { ...b, state: 'handed-to-print' } : b)) };
    case 'LetterBatchPosted':
      return {
        ...next,
        letters: { ...state.letters, posted: state.letters.posted + event.data.letters },
        batches: state.batches.map((b) => (b.batchNo === event.data.batchNo ? { ...b, state: 'posted' } : b)),
      };
    case 'CampaignProjected':
      return { ...next, ...event.data };
    case 'CampaignBehindSchedule':
      return { ...next, behindSchedule: true };
    case 'CampaignBackOnSchedule':
      return { ...next, behindSchedule: false };
    case 'CampaignCompleted':
      return { ...next, state: 'completed', outcome: event.data };
  }
}

function drafted(data: Extract<CampaignEvent, { type: 'CampaignDrafted' }>['data'], start?: CampaignStart): CampaignStatus {
  return {
    campaignId: data.campaignId,
    handover: start?.handover ?? { transitionId: data.transitionId, municipality: data.municipality, district: data.district, goLiveDate: '' },
    state: 'draft',
    templateVersion: data.templateVersion,
    fields: data.fields,
    deadline: data.deadline,
    approved: null,
    frozen: null,
    emails: { sent: 0, bounced: 0, skipped: 0, remaining: 0 },
    letters: { rendered: 0, skipped: 0, posted: 0, fallback: 0 },
    batches: [],
    lastBatchNo: 0,
    sendingSince: null,
    processed: 0,
    ratePerHour: null,
    projectedFinish: null,
    behindSchedule: false,
    pauseReason: null,
    cancelReason: null,
    outcome: null,
    streamVersion: 1,
  };
}
