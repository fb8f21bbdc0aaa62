import type { CampaignEvent } from '../../src/campaigns/campaign.events';
import type { Actor } from '../../src/events/event.types';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { CampaignCommand, deadlineEndsAt, decideCampaign, EmailPage, remainingRecipients } from '../../workflows/campaign/decide';
import type { CampaignStart, CampaignStatus } from '../../workflows/campaign/definitions';
import { evolveCampaign } from '../../workflows/campaign/evolve';
import type { EventContext } from '../../workflows/shared/stream-recorder';
import { campaignMessageFields } from '../support/campaign-fields';

/**
 * A resident campaign's decisions as given / when / then, without any server: given the events
 * recorded so far (each at its moment), when a command arrives at a moment, then these events (or
 * this rejection, recording nothing).
 */
const HOUR = 3_600_000;
const coordinator: Actor = { user: 'c-1', organisation: 'rotterdam', role: 'coordinator' };
const system: Actor = { user: 'system', organisation: null, role: 'system' };
const asCoordinator = { actor: coordinator, actingFor: ['rotterdam'] };
const asProvider = { actor: { user: 'p-1', organisation: 'buurtkracht', role: 'provider' }, actingFor: ['buurtkracht'] };

const fields = campaignMessageFields('2027-06-01');
/** A summer deadline: the day ends at 22:00 UTC in Europe/Amsterdam (CEST). */
const deadline = '2027-05-18';
const deadlineEnd = Date.parse('2027-05-18T22:00:00.000Z');
const start: CampaignStart = {
  campaignId: '4b7e0f0c-6c1f-4d83-9b5b-0a4f6d1e2c33',
  handover: { transitionId: 'rotterdam.feijenoord.2027-06-01', municipality: 'rotterdam', district: 'feijenoord', goLiveDate: '2027-06-01' },
  templateVersion: 1,
  fields,
  deadline,
  requestedBy: coordinator,
  correlationId: 'corr-1',
};
const t0 = Date.parse('2027-05-10T08:00:00.000Z');

/** An event recorded at a moment (by default t0). */
interface Timed { event: CampaignEvent; at: number }
const at = (when: number, event: CampaignEvent): Timed => ({ event, at: when });

const e = {
  drafted: (): CampaignEvent => ({
    type: 'CampaignDrafted',
    data: { campaignId: start.campaignId, transitionId: start.handover.transitionId, municipality: 'rotterdam', district: 'feijenoord', templateVersion: 1, fields, deadline },
  }),
  approved: (): CampaignEvent => ({ type: 'CampaignApproved', data: { templateVersion: 1, messageSha256: 'abc' } }),
  frozen: (counts = { addressLetters: 0, clientLetters: 0, emails: 0 }): CampaignEvent => ({ type: 'RecipientsFrozen', data: counts }),
  page: (page: Partial<EmailPage> & { remaining: number }): CampaignEvent => ({
    type: 'EmailPageSent',
    data: { sent: 0, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0, ...page },
  }),
  rendered: (batchNo: number, letters: number, skipped = 0): CampaignEvent => ({ type: 'LetterBatchRendered', data: { batchNo, letters, skipped, pdfSha256: `sha-${batchNo}` } }),
  handed: (batchNo: number): CampaignEvent => ({ type: 'LetterBatchHandedToPrint', data: { batchNo } }),
  posted: (batchNo: number, letters: number): CampaignEvent => ({ type: 'LetterBatchPosted', data: { batchNo, letters } }),
  paused: (): CampaignEvent => ({ type: 'CampaignPaused', data: { reason: 'Drukker ziek' } }),
  behind: (reason: 'projection' | 'deadline-passed' = 'projection'): CampaignEvent => ({
    type: 'CampaignBehindSchedule', data: { reason, deadline, projectedFinish: null, remaining: 1 },
  }),
};

function stateOf(steps: Array<CampaignEvent | Timed>): CampaignStatus | null {
  return steps.reduce<CampaignStatus | null>((state, step) => {
    const { event, at: when } = 'event' in step ? step : { event: step, at: t0 };
    return evolveCampaign(state, event, { at: when, actor: coordinator }, start);
  }, null);
}

function given(...steps: Array<CampaignEvent | Timed>) {
  const state = stateOf(steps);
  return {
    state,
    when: (command: CampaignCommand, when = t0) => {
      const context: EventContext = { at: when, actor: 'actor' in command ? command.actor : system };
      const decided = () => decideCampaign(state, command, context);
      return {
        decided,
        then: (expected: CampaignEvent[]) => expect(decided()).toEqual(expected),
        thenRejects: (type: string, message?: string | RegExp) => {
          let thrown: unknown;
          try {
            decided();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toMatchObject({ type, nonRetryable: true, ...(message ? { message: expect.stringMatching(message) } : {}) });
        },
        /** The state after the decided events: the next `given`. */
        after: () => decided().reduce<CampaignStatus>((s, event) => evolveCampaign(s, event, context, start), state!),
      };
    },
  };
}

const approveCommand = (expectedVersion: number, missingFields: string[] = []): CampaignCommand => ({
  type: 'Approve', ...asCoordinator, expectedVersion, digest: { messageSha256: 'abc', missingFields },
});
const page = (p: Partial<EmailPage> & { remaining: number }): CampaignCommand => ({
  type: 'RecordEmailPage', page: { sent: 0, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0, ...p },
});
const batch = (batchNo: number, letters: number, skipped = 0): CampaignCommand => ({
  type: 'RecordLetterBatch', batch: { batchNo, letters, skipped, pdfSha256: `sha-${batchNo}` },
});
const sending = (counts: { addressLetters?: number; clientLetters?: number; emails?: number }, frozenAt = t0) => [
  e.drafted(), e.approved(), at(frozenAt, e.frozen({ addressLetters: 0, clientLetters: 0, emails: 0, ...counts })),
];
const eventTypes = (events: CampaignEvent[]) => events.map((event) => event.type);

describe('decideCampaign: a resident campaign, given / when / then', () => {
  describe('draft and edit', () => {
    it('drafts a campaign once, with its handover, message and deadline', () => {
      given().when({ type: 'Draft', start }).then([e.drafted()]);
      given(e.drafted()).when({ type: 'Draft', start }).thenRejects('Conflict', /exists already/);
    });

    it('refuses commands before the draft is recorded, as unavailable for now', () => {
      given().when({ type: 'Pause', ...asCoordinator, reason: 'x' }).thenRejects('Unavailable');
    });

    it('edits a draft: what is not given stays; a deadline after go-live is invalid', () => {
      given(e.drafted())
        .when({ type: 'Edit', ...asCoordinator, deadline: '2027-05-14' })
        .then([{ type: 'CampaignEdited', data: { templateVersion: 1, fields, deadline: '2027-05-14' } }]);
      given(e.drafted()).when({ type: 'Edit', ...asCoordinator, deadline: '2027-06-02' }).thenRejects('Invalid', /after the go-live/);
      given(e.drafted()).when({ type: 'Edit', ...asProvider, deadline: '2027-05-14' }).thenRejects('Forbidden');
    });

    it('cannot edit an approved campaign, only cancel and replace it', () => {
      given(e.drafted(), e.approved())
        .when({ type: 'Edit', ...asCoordinator, fields: { ...fields, district: 'Charlois' } })
        .thenRejects('Conflict', /cannot be edited, only cancelled and replaced/);
      given(...sending({ emails: 3 }))
        .when({ type: 'Edit', ...asCoordinator, deadline: '2027-05-14' })
        .thenRejects('Conflict', /cannot be edited, only cancelled and replaced/);
    });
  });

  describe('approval', () => {
    it('approves the version the coordinator read, with its digest', () => {
      given(e.drafted()).when(approveCommand(1)).then([{ type: 'CampaignApproved', data: { templateVersion: 1, messageSha256: 'abc' } }]);
    });

    it('lets only the coordinator approve, and only a draft', () => {
      given(e.drafted()).when({ ...approveCommand(1), ...asProvider } as CampaignCommand).thenRejects('Forbidden');
      given(e.drafted(), e.approved()).when(approveCommand(2)).thenRejects('Conflict', /not a draft/);
    });

    it('refuses a stale expected version: the message was edited since it was read', () => {
      const edited: CampaignEvent = { type: 'CampaignEdited', data: { templateVersion: 1, fields, deadline: '2027-05-14' } };
      given(e.drafted(), edited).when(approveCommand(1)).thenRejects('Conflict', /edited since you read it/);
      given(e.drafted(), edited).when(approveCommand(2)).then([{ type: 'CampaignApproved', data: { templateVersion: 1, messageSha256: 'abc' } }]);
    });

    it('refuses a message that lacks merge fields, naming them', () => {
      given(e.drafted()).when(approveCommand(1, ['incoming.phone', 'whereToAsk'])).thenRejects('Invalid', /incoming\.phone, whereToAsk/);
    });
  });

  describe('freezing the recipients', () => {
    it('freezes once, when approved, and starts sending then', () => {
      const counts = { addressLetters: 10, clientLetters: 2, emails: 5 };
      const when = given(e.drafted(), e.approved()).when({ type: 'Freeze', counts }, t0 + HOUR);
      when.then([e.frozen(counts)]);
      expect(when.after()).toMatchObject({ state: 'sending', frozen: counts, emails: { remaining: 5 }, sendingSince: t0 + HOUR });
      given(...sending({ emails: 5 })).when({ type: 'Freeze', counts }).then([]);
      given(e.drafted()).when({ type: 'Freeze', counts }).then([]);
      given(e.drafted(), e.approved(), e.paused()).when({ type: 'Freeze', counts }).then([]);
    });

    it('completes a campaign with nobody to inform in the same decision', () => {
      given(e.drafted(), e.approved())
        .when({ type: 'Freeze', counts: { addressLetters: 0, clientLetters: 0, emails: 0 } })
        .then([
          e.frozen(),
          { type: 'CampaignCompleted', data: { emailsSent: 0, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0 } },
        ]);
    });
  });

  describe('pause, resume, cancel', () => {
    it('pauses a sending or approved campaign, only by the coordinator', () => {
      given(...sending({ emails: 3 })).when({ type: 'Pause', ...asCoordinator, reason: 'Drukker ziek' }).then([e.paused()]);
      given(e.drafted(), e.approved()).when({ type: 'Pause', ...asCoordinator, reason: 'Drukker ziek' }).then([e.paused()]);
      given(e.drafted()).when({ type: 'Pause', ...asCoordinator, reason: 'x' }).thenRejects('Conflict', /only a sending campaign/);
      given(...sending({ emails: 3 }), e.paused()).when({ type: 'Pause', ...asCoordinator, reason: 'x' }).thenRejects('Conflict');
      given(...sending({ emails: 3 })).when({ type: 'Pause', ...asProvider, reason: 'x' }).thenRejects('Forbidden');
    });

    it('resumes only a paused campaign: to sending once frozen, to approved before', () => {
      given(...sending({ emails: 3 })).when({ type: 'Resume', ...asCoordinator }).thenRejects('Conflict', /not paused/);
      expect(given(...sending({ emails: 3 }), e.paused()).when({ type: 'Resume', ...asCoordinator }).after().state).toBe('sending');
      expect(given(e.drafted(), e.approved(), e.paused()).when({ type: 'Resume', ...asCoordinator }).after().state).toBe('approved');
    });

    it('completes on resume when the last page came in while paused', () => {
      given(...sending({ emails: 2 }), at(t0 + HOUR, e.page({ sent: 1, remaining: 1 })), e.paused(), at(t0 + 2 * HOUR, e.page({ sent: 1, remaining: 0 })))
        .when({ type: 'Resume', ...asCoordinator }, t0 + 3 * HOUR)
        .then([
          { type: 'CampaignResumed', data: {} },
          { type: 'CampaignCompleted', data: { emailsSent: 2, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0 } },
        ]);
    });

    it('cancels a draft, an approved, sending or paused campaign, once; never a completed one', () => {
      const cancel: CampaignCommand = { type: 'Cancel', ...asCoordinator, reason: 'Vervangen' };
      const cancelled: CampaignEvent = { type: 'CampaignCancelled', data: { reason: 'Vervangen' } };
      given(e.drafted()).when(cancel).then([cancelled]);
      given(...sending({ emails: 3 })).when(cancel).then([cancelled]);
      given(...sending({ emails: 3 }), e.paused()).when(cancel).then([cancelled]);
      given(...sending({ emails: 3 }), cancelled).when(cancel).thenRejects('Conflict', /cancelled/);
      given(e.drafted(), e.approved(), e.frozen(), { type: 'CampaignCompleted', data: { emailsSent: 0, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0 } })
        .when(cancel)
        .thenRejects('Conflict', /completed/);
      given(e.drafted()).when({ ...cancel, ...asProvider } as CampaignCommand).thenRejects('Forbidden');
      given(...sending({ emails: 3 }), cancelled).when({ type: 'Resume', ...asCoordinator }).thenRejects('Conflict');
    });
  });

  describe('e-mail pages and the projection against the deadline', () => {
    it('moves the counts and projects rate and finish from the pace since sending began', () => {
      const when = given(...sending({ emails: 10_000 })).when(page({ sent: 900, bounced: 60, skipped: 40, remaining: 9_000 }), t0 + HOUR);
      when.then([
        e.page({ sent: 900, bounced: 60, skipped: 40, remaining: 9_000 }),
        { type: 'CampaignProjected', data: { ratePerHour: 1_000, projectedFinish: new Date(t0 + 10 * HOUR).toISOString() } },
      ]);
      expect(when.after()).toMatchObject({
        emails: { sent: 900, bounced: 60, skipped: 40, remaining: 9_000 },
        processed: 1_000,
        ratePerHour: 1_000,
        projectedFinish: '2027-05-10T18:00:00.000Z',
        behindSchedule: false,
      });
    });

    it("counts, after a retried page, what the attempt that died recorded: the ledger's totals less what was counted", () => {
      // Page 1 counted 500; page 2's first attempt recorded 260 sent and 2 bounced (1 with a letter), then its worker died;
      // the retry sent the other 238 and bounced none of them.
      const ledger = { sent: 998, bounced: 2, skipped: 0, fallbackLetters: 1 };
      given(...sending({ emails: 1_000 }), e.page({ sent: 500, remaining: 500 }))
        .when(page({ sent: 238, remaining: 0, ledger }), t0)
        .then([e.page({ sent: 498, bounced: 2, fallbackLetters: 1, remaining: 0 })]);
      // A page the campaign counted in full keeps its own counts.
      given(...sending({ emails: 10 })).when(page({ sent: 5, remaining: 5, ledger: { sent: 5, bounced: 0, skipped: 0, fallbackLetters: 0 } }), t0).then([e.page({ sent: 5, remaining: 5 })]);
    });

    it('projects nothing before any time has passed or anything is handled', () => {
      given(...sending({ emails: 10 })).when(page({ sent: 5, remaining: 5 }), t0).then([e.page({ sent: 5, remaining: 5 })]);
      given(...sending({ emails: 10 })).when(page({ deferred: 5, remaining: 10 }), t0 + HOUR).then([e.page({ deferred: 5, remaining: 10 })]);
    });

    it('falls behind schedule when the projection passes the end of the deadline day in Amsterdam', () => {
      // Frozen at 08:00 UTC on the deadline day: 1,000 an hour, 19,000 to go, finishing 04:00 UTC the next day.
      const frozenAt = Date.parse('2027-05-18T08:00:00.000Z');
      given(...sending({ emails: 20_000 }, frozenAt))
        .when(page({ sent: 1_000, remaining: 19_000 }), frozenAt + HOUR)
        .then([
          e.page({ sent: 1_000, remaining: 19_000 }),
          { type: 'CampaignProjected', data: { ratePerHour: 1_000, projectedFinish: '2027-05-19T04:00:00.000Z' } },
          { type: 'CampaignBehindSchedule', data: { reason: 'projection', deadline, projectedFinish: '2027-05-19T04:00:00.000Z', remaining: 19_000 } },
        ]);
    });

    it('counts the deadline day as Amsterdam counts it: 23:00 UTC in May is the next day there', () => {
      expect(deadlineEndsAt({ deadline })).toBe(deadlineEnd);
      expect(deadlineEndsAt({ deadline: '2027-01-15' })).toBe(Date.parse('2027-01-15T23:00:00.000Z'));
      const frozenAt = Date.parse('2027-05-18T08:00:00.000Z');
      // 1,000 an hour, 14,000 to go: finishing at 23:00 UTC on the 18th, which is 01:00 on the 19th in Amsterdam.
      const late = given(...sending({ emails: 15_000 }, frozenAt)).when(page({ sent: 1_000, remaining: 14_000 }), frozenAt + HOUR).decided();
      expect(late.at(-1)).toMatchObject({ type: 'CampaignBehindSchedule', data: { reason: 'projection', projectedFinish: '2027-05-18T23:00:00.000Z' } });
      // 12,000 to go: finishing at 21:00 UTC, 23:00 in Amsterdam: in time.
      const inTime = given(...sending({ emails: 13_000 }, frozenAt)).when(page({ sent: 1_000, remaining: 12_000 }), frozenAt + HOUR).decided();
      expect(eventTypes(inTime)).toEqual(['EmailPageSent', 'CampaignProjected']);
    });

    it('does not fall behind twice, and is back on schedule when the pace recovers before the deadline', () => {
      const frozenAt = Date.parse('2027-05-18T08:00:00.000Z');
      const behind = [
        ...sending({ emails: 20_000 }, frozenAt),
        at(frozenAt + HOUR, e.page({ sent: 1_000, remaining: 19_000 })),
        e.behind(),
      ];
      const slow = given(...behind).when(page({ sent: 1_000, remaining: 18_000 }), frozenAt + 2 * HOUR).decided();
      expect(eventTypes(slow)).toEqual(['EmailPageSent', 'CampaignProjected']);
      // 11,000 handled in 2 hours: 5,500 an hour, 9,000 to go in under two hours.
      const recovered = given(...behind).when(page({ sent: 10_000, remaining: 9_000 }), frozenAt + 2 * HOUR);
      const events = recovered.decided();
      expect(eventTypes(events)).toEqual(['EmailPageSent', 'CampaignProjected', 'CampaignBackOnSchedule']);
      expect(events[2]).toEqual({ type: 'CampaignBackOnSchedule', data: { projectedFinish: (events[1].data as { projectedFinish: string }).projectedFinish } });
      expect(recovered.after().behindSchedule).toBe(false);
    });

    it('is not back on schedule after the deadline has passed', () => {
      const frozenAt = Date.parse('2027-05-18T08:00:00.000Z');
      const events = given(...sending({ emails: 20_000 }, frozenAt), e.behind('deadline-passed'))
        .when(page({ sent: 19_000, remaining: 1_000 }), deadlineEnd + HOUR)
        .decided();
      expect(eventTypes(events)).toEqual(['EmailPageSent', 'CampaignProjected']);
    });

    it('counts the page in flight when the campaign was cancelled, but projects nothing for it: a cancelled campaign has no schedule', () => {
      const frozenAt = Date.parse('2027-05-18T08:00:00.000Z');
      given(...sending({ emails: 20_000 }, frozenAt), { type: 'CampaignCancelled', data: { reason: 'x' } })
        .when(page({ sent: 1_000, remaining: 19_000 }), frozenAt + HOUR)
        .then([e.page({ sent: 1_000, remaining: 19_000 })]);
    });

    it('records fallback letters for bounced e-mails: letters to render, and remaining, grow by them', () => {
      const when = given(...sending({ addressLetters: 2, emails: 4 })).when(page({ sent: 2, bounced: 2, fallbackLetters: 1, remaining: 0 }), t0 + HOUR);
      const after = when.after();
      expect(after.letters.fallback).toBe(1);
      expect(remainingRecipients(after)).toBe(3);
      expect(after.state).toBe('sending');
      // The fallback letter goes into the next print file like any other.
      const rendered = given(...sending({ addressLetters: 2, emails: 4 }), at(t0 + HOUR, e.page({ sent: 2, bounced: 2, fallbackLetters: 1, remaining: 0 })))
        .when(batch(1, 3), t0 + 2 * HOUR)
        .after();
      expect(remainingRecipients(rendered)).toBe(3);
      expect(rendered.letters.rendered).toBe(3);
    });
  });

  describe('the deadline passing', () => {
    const atPrintShop = [...sending({ addressLetters: 5 }), at(t0 + HOUR, e.rendered(1, 5)), e.handed(1)];

    it('falls behind when the deadline day has ended with recipients left, not before', () => {
      given(...atPrintShop).when({ type: 'CheckDeadline' }, deadlineEnd - 1).then([]);
      given(...atPrintShop)
        .when({ type: 'CheckDeadline' }, deadlineEnd)
        .then([{ type: 'CampaignBehindSchedule', data: { reason: 'deadline-passed', deadline, projectedFinish: null, remaining: 5 } }]);
    });

    it('falls behind once: a second check, or one after the projection warned, records nothing', () => {
      given(...atPrintShop, e.behind('deadline-passed')).when({ type: 'CheckDeadline' }, deadlineEnd + HOUR).then([]);
      given(...atPrintShop, e.behind('projection')).when({ type: 'CheckDeadline' }, deadlineEnd + HOUR).then([]);
    });

    it('checks nothing of a draft, a completed or a cancelled campaign', () => {
      given(e.drafted()).when({ type: 'CheckDeadline' }, deadlineEnd + HOUR).then([]);
      given(...atPrintShop, { type: 'CampaignCancelled', data: { reason: 'x' } }).when({ type: 'CheckDeadline' }, deadlineEnd + HOUR).then([]);
    });
  });

  describe('letter batches', () => {
    it('records a rendered print file once', () => {
      const events = given(...sending({ addressLetters: 1_500 })).when(batch(1, 1_000), t0 + HOUR).decided();
      expect(events[0]).toEqual(e.rendered(1, 1_000));
      expect(eventTypes(events)).toEqual(['LetterBatchRendered', 'CampaignProjected']);
      given(...sending({ addressLetters: 1_500 }), e.rendered(1, 1_000)).when(batch(1, 1_000)).then([]);
    });

    it('hands a rendered batch to print, then marks it posted, in that order, once each', () => {
      const rendered = [...sending({ addressLetters: 1_500 }), e.rendered(1, 1_000)];
      given(...rendered).when({ type: 'HandToPrint', ...asCoordinator, batchNo: 1 }).then([e.handed(1)]);
      given(...rendered).when({ type: 'MarkPosted', ...asCoordinator, batchNo: 1 }).thenRejects('Conflict', /must be handed to print/);
      given(...rendered, e.handed(1)).when({ type: 'HandToPrint', ...asCoordinator, batchNo: 1 }).thenRejects('Conflict', /handed-to-print already/);
      given(...rendered, e.handed(1)).when({ type: 'MarkPosted', ...asCoordinator, batchNo: 1 }).then([e.posted(1, 1_000)]);
      given(...rendered, e.handed(1), e.posted(1, 1_000)).when({ type: 'MarkPosted', ...asCoordinator, batchNo: 1 }).thenRejects('Conflict', /posted already/);
      given(...rendered, e.handed(1), e.posted(1, 1_000)).when({ type: 'HandToPrint', ...asCoordinator, batchNo: 1 }).thenRejects('Conflict');
      given(...rendered).when({ type: 'HandToPrint', ...asCoordinator, batchNo: 2 }).thenRejects('NotFound');
      given(...rendered).when({ type: 'HandToPrint', ...asProvider, batchNo: 1 }).thenRejects('Forbidden');
    });

    it('keeps the print files apart in the state', () => {
      const state = stateOf([...sending({ addressLetters: 1_500 }), e.rendered(1, 1_000), e.rendered(2, 500), e.handed(1), e.posted(1, 1_000)])!;
      expect(state.batches).toEqual([
        { batchNo: 1, letters: 1_000, state: 'posted', pdfSha256: 'sha-1' },
        { batchNo: 2, letters: 500, state: 'rendered', pdfSha256: 'sha-2' },
      ]);
      expect(state.letters).toEqual({ rendered: 1_500, skipped: 0, posted: 1_000, fallback: 0 });
      expect(remainingRecipients(state)).toBe(500);
    });
  });

  describe('completion', () => {
    const outcome = (o: Partial<Record<'emailsSent' | 'emailsBounced' | 'lettersPosted' | 'fallbackLetters' | 'skipped', number>>) => ({
      type: 'CampaignCompleted' as const,
      data: { emailsSent: 0, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0, ...o },
    });

    it('completes with the last e-mail page, with the counts, in the same decision', () => {
      const events = given(...sending({ emails: 10 }), at(t0 + HOUR, e.page({ sent: 5, remaining: 5 })))
        .when(page({ sent: 3, bounced: 1, skipped: 1, remaining: 0 }), t0 + 2 * HOUR)
        .decided();
      expect(eventTypes(events)).toEqual(['EmailPageSent', 'CampaignProjected', 'CampaignCompleted']);
      expect(events.at(-1)).toEqual(outcome({ emailsSent: 8, emailsBounced: 1, skipped: 1 }));
    });

    it('does not complete while e-mails remain, nor while letters wait to be rendered or posted', () => {
      const notYet = given(...sending({ addressLetters: 2, emails: 10 })).when(page({ sent: 10, remaining: 0 }), t0 + HOUR).decided();
      expect(eventTypes(notYet)).not.toContain('CampaignCompleted');
      const rendered = given(...sending({ addressLetters: 2, emails: 10 }), at(t0 + HOUR, e.page({ sent: 10, remaining: 0 })))
        .when(batch(1, 2), t0 + 2 * HOUR)
        .decided();
      expect(eventTypes(rendered)).not.toContain('CampaignCompleted');
      const handed = given(...sending({ addressLetters: 2, emails: 10 }), e.page({ sent: 10, remaining: 0 }), e.rendered(1, 2))
        .when({ type: 'HandToPrint', ...asCoordinator, batchNo: 1 })
        .decided();
      expect(eventTypes(handed)).toEqual(['LetterBatchHandedToPrint']);
    });

    it('completes when the last letters are posted, every e-mail sent, bounced or skipped, with fallback letters counted', () => {
      given(
        ...sending({ addressLetters: 3, clientLetters: 1, emails: 2 }),
        at(t0 + HOUR, e.page({ sent: 1, bounced: 1, fallbackLetters: 1, remaining: 0 })),
        at(t0 + 2 * HOUR, e.rendered(1, 4, 1)),
        e.handed(1),
      )
        .when({ type: 'MarkPosted', ...asCoordinator, batchNo: 1 })
        .then([e.posted(1, 4), outcome({ emailsSent: 1, emailsBounced: 1, lettersPosted: 4, fallbackLetters: 1, skipped: 1 })]);
    });

    it('does not complete while one of two batches is still at the print shop', () => {
      given(...sending({ addressLetters: 1_500 }), e.rendered(1, 1_000), e.rendered(2, 500), e.handed(1), e.handed(2))
        .when({ type: 'MarkPosted', ...asCoordinator, batchNo: 1 })
        .then([e.posted(1, 1_000)]);
    });

    it('completes with a last batch whose letters were all skipped: nothing to print or post', () => {
      const when = given(...sending({ addressLetters: 2 })).when(batch(1, 0, 2), t0 + HOUR);
      const events = when.decided();
      expect(events[0]).toEqual(e.rendered(1, 0, 2));
      expect(events.at(-1)).toEqual(outcome({ skipped: 2 }));
      expect(when.after()).toMatchObject({ state: 'completed', batches: [] });
    });

    it('records a batch whose letters were all skipped once, and numbers the next batch after it', () => {
      const allSkipped = [...sending({ addressLetters: 1_500 }), at(t0 + HOUR, e.rendered(1, 0, 1_000))];
      given(...allSkipped).when(batch(1, 0, 1_000), t0 + 2 * HOUR).then([]);
      expect(stateOf(allSkipped)!.lastBatchNo).toBe(1);
      const next = given(...allSkipped).when(batch(2, 500), t0 + 2 * HOUR).after();
      expect(next.lastBatchNo).toBe(2);
      expect(remainingRecipients(next)).toBe(500);
    });

    it('completes once: a completed campaign takes no more commands', () => {
      const done = [...sending({ emails: 1 }), e.page({ sent: 1, remaining: 0 }), outcome({ emailsSent: 1 })];
      given(...done).when({ type: 'CheckDeadline' }, deadlineEnd + HOUR).then([]);
      given(...done).when({ type: 'Pause', ...asCoordinator, reason: 'x' }).thenRejects('Conflict');
      expect(stateOf(done)).toMatchObject({ state: 'completed', outcome: outcome({ emailsSent: 1 }).data });
    });
  });
});

describe('evolveCampaign: the state after each event', () => {
  it('builds the state from the draft with the handover of the start, counting the stream version', () => {
    const state = stateOf([e.drafted()])!;
    expect(state).toMatchObject({ state: 'draft', deadline, handover: start.handover, streamVersion: 1, frozen: null, sendingSince: null });
    expect(stateOf([e.drafted(), e.approved()])).toMatchObject({ state: 'approved', streamVersion: 2, approved: { by: coordinator, at: new Date(t0).toISOString(), messageSha256: 'abc' } });
  });

  it('does not change the state it was given', () => {
    const state = stateOf([...sending({ emails: 10 })])!;
    const copy = JSON.parse(JSON.stringify(state));
    evolveCampaign(state, e.page({ sent: 5, remaining: 5 }), { at: t0 + HOUR, actor: system });
    expect(state).toEqual(copy);
  });

  it('starts the deadline day at midnight in Amsterdam', () => {
    expect(startOfAmsterdamDay('2027-05-19')).toBe(new Date(deadlineEnd).toISOString());
  });
});
