import type { ClientTransferEvent } from '../../src/clients/client.events';
import type { Actor } from '../../src/events/event.types';
import { addDays, addYears, amsterdamDate } from '../../src/time/calendar';
import type { EventContext } from '../../workflows/shared/stream-recorder';
import { decideTransfer, isFinished, TransferCommand } from '../../workflows/client-transfer/decide';
import type { TransferStart, TransferStatus } from '../../workflows/client-transfer/definitions';
import { evolveTransfer } from '../../workflows/client-transfer/evolve';

/**
 * A client transfer's decisions as given / when / then, without any server: given the events
 * recorded so far, when a command arrives, then these events (or this rejection, recording nothing).
 */
const now = Date.parse('2026-11-30T10:00:00Z');
const today = amsterdamDate(now);
const yesterday = addDays(today, -1);
const tomorrow = addDays(today, 1);
const pseudonym = '0123456789abcdef0123';
const system: Actor = { user: 'system', organisation: null, role: 'system' };
const provider = (organisation: string, ...consortia: string[]) => ({
  actor: { user: `user-${organisation}`, organisation, role: 'provider' },
  actingFor: [organisation, ...consortia],
});
const outgoing = provider('stadsdeelwerk');
const incoming = provider('twentse-wijkalliantie');
/** A member of the incoming consortium acts for it. */
const member = provider('jongerenpunt', 'twentse-wijkalliantie');
const bystander = provider('welzijn-maas');
const coordinator = { actor: { user: 'c-1', organisation: 'enschede', role: 'coordinator' }, actingFor: ['enschede'] };

const start: TransferStart = {
  handover: {
    transitionId: 'enschede.centrum.2027-01-01',
    municipality: 'enschede',
    district: 'centrum',
    outgoingProvider: 'stadsdeelwerk',
    incomingProvider: 'twentse-wijkalliantie',
    goLiveDate: '2027-01-01',
  },
  pseudonym,
  importId: '6f1d1c1e-8f0a-4c55-9b1a-1f6c2b7a0c11',
  targetGroup: 'ouderen',
  policy: { consentAnswerBusinessDays: 10, fileAfterConsentBusinessDays: 5, intakeAfterFileBusinessDays: 5, retentionDays: 90 },
  holidays: [],
  requestedBy: outgoing.actor,
  correlationId: 'corr-1',
};
const context: EventContext = { at: now, actor: outgoing.actor };

const fileId = '8d0c5e0a-3b1f-4a8e-9d56-0b7f3f6b2a10';
const e = {
  listed: (): ClientTransferEvent => ({
    type: 'ClientListed',
    data: {
      transitionId: start.handover.transitionId, pseudonym, importId: start.importId, targetGroup: 'ouderen',
      municipality: 'enschede', district: 'centrum', outgoingProvider: 'stadsdeelwerk', incomingProvider: 'twentse-wijkalliantie',
    },
  }),
  informed: (date = addDays(today, -10)): ClientTransferEvent => ({ type: 'ClientInformed', data: { pseudonym, date, channel: 'letter' } }),
  consent: (date = addDays(today, -5)): ClientTransferEvent => ({ type: 'ConsentGiven', data: { pseudonym, date } }),
  refused: (date = addDays(today, -5)): ClientTransferEvent => ({ type: 'ConsentRefused', data: { pseudonym, date } }),
  file: (): ClientTransferEvent => ({ type: 'ClientFileTransferred', data: { pseudonym, fileId, mediaType: 'application/pdf', bytes: 1234 } }),
  intake: (date = tomorrow): ClientTransferEvent => ({ type: 'IntakePlanned', data: { pseudonym, date } }),
  accepted: (date = today): ClientTransferEvent => ({ type: 'TransferAccepted', data: { pseudonym, date } }),
  ended: (reason: 'moved-away' | 'deceased' | 'support-no-longer-needed' = 'moved-away'): ClientTransferEvent => ({
    type: 'TransferEnded', data: { pseudonym, reason },
  }),
  finished: (outcome: 'accepted' | 'declined' | 'ended'): ClientTransferEvent => ({ type: 'TransferFinished', data: { pseudonym, outcome } }),
  erased: (reason: 'request' | 'retention' = 'request'): ClientTransferEvent => ({ type: 'PersonalDataErased', data: { pseudonym, reason } }),
};

/** The events of a transfer up to (and including) a step. */
const upTo = {
  listed: () => [e.listed()],
  informed: () => [e.listed(), e.informed()],
  consented: () => [e.listed(), e.informed(), e.consent()],
  fileTransferred: () => [e.listed(), e.informed(), e.consent(), e.file()],
  intakePlanned: () => [e.listed(), e.informed(), e.consent(), e.file(), e.intake()],
  accepted: () => [...upTo.intakePlanned(), e.accepted(), e.finished('accepted')],
  declined: () => [e.listed(), e.informed(), e.refused(), e.finished('declined')],
  ended: () => [e.listed(), e.ended(), e.finished('ended')],
};

function given(...events: ClientTransferEvent[]) {
  const state = events.reduce<TransferStatus | null>((s, event) => evolveTransfer(s, event, context, start), null);
  return {
    state,
    when: (command: TransferCommand, at = now) => {
      const decide = () => decideTransfer(state, command, { at, actor: 'actor' in command ? command.actor : system });
      return {
        then: (expected: ClientTransferEvent[]) => expect(decide()).toEqual(expected),
        thenRejects: (type: string, message?: string | RegExp) => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toMatchObject({ type, nonRetryable: true, ...(message ? { message: expect.stringMatching(message) } : {}) });
        },
      };
    },
  };
}

describe('decideTransfer: one client transfer, given / when / then', () => {
  describe('listing', () => {
    it('lists a client with codes only: no go-live, nothing about the person', () => {
      given().when({ type: 'ListClient', start }).then([e.listed()]);
    });

    it('refuses to list twice, and any other command before the listing is recorded', () => {
      given(e.listed()).when({ type: 'ListClient', start }).thenRejects('Conflict', /listed already/);
      given().when({ type: 'InformClient', ...outgoing, date: today, channel: 'letter' }).thenRejects('Unavailable');
    });
  });

  describe('every step in order, each by its own provider', () => {
    it('informs the client (outgoing), dated today or before', () => {
      given(...upTo.listed())
        .when({ type: 'InformClient', ...outgoing, date: yesterday, channel: 'phone' })
        .then([{ type: 'ClientInformed', data: { pseudonym, date: yesterday, channel: 'phone' } }]);
      given(...upTo.listed()).when({ type: 'InformClient', ...outgoing, date: today, channel: 'letter' }).then([
        { type: 'ClientInformed', data: { pseudonym, date: today, channel: 'letter' } },
      ]);
    });

    it('records consent given (outgoing)', () => {
      given(...upTo.informed()).when({ type: 'RecordConsent', ...outgoing, given: true, date: yesterday }).then([
        { type: 'ConsentGiven', data: { pseudonym, date: yesterday } },
      ]);
    });

    it('records consent refused: declined and finished at once', () => {
      given(...upTo.informed()).when({ type: 'RecordConsent', ...outgoing, given: false, date: yesterday }).then([
        { type: 'ConsentRefused', data: { pseudonym, date: yesterday } },
        { type: 'TransferFinished', data: { pseudonym, outcome: 'declined' } },
      ]);
      const { state } = given(...upTo.declined());
      expect(state).toMatchObject({ step: 'declined', finishedAt: now });
      expect(isFinished(state!)).toBe(true);
    });

    it('transfers the file once consent is given (outgoing)', () => {
      given(...upTo.consented())
        .when({ type: 'TransferFile', ...outgoing, fileId, mediaType: 'application/zip', bytes: 99 })
        .then([{ type: 'ClientFileTransferred', data: { pseudonym, fileId, mediaType: 'application/zip', bytes: 99 } }]);
    });

    it('plans the intake (incoming, or a member of the incoming consortium), up to a year ahead', () => {
      given(...upTo.fileTransferred()).when({ type: 'PlanIntake', ...incoming, date: tomorrow }).then([e.intake(tomorrow)]);
      given(...upTo.fileTransferred()).when({ type: 'PlanIntake', ...member, date: addYears(today, 1) }).then([e.intake(addYears(today, 1))]);
    });

    it('accepts the transfer (incoming): accepted and finished', () => {
      given(...upTo.intakePlanned()).when({ type: 'AcceptTransfer', ...incoming, date: today }).then([
        { type: 'TransferAccepted', data: { pseudonym, date: today } },
        { type: 'TransferFinished', data: { pseudonym, outcome: 'accepted' } },
      ]);
      const { state } = given(...upTo.accepted());
      expect(state).toMatchObject({
        step: 'accepted',
        informed: { date: addDays(today, -10), channel: 'letter' },
        consentDate: addDays(today, -5),
        file: { fileId, mediaType: 'application/pdf', bytes: 1234 },
        intakeDate: tomorrow,
        acceptedDate: today,
        finishedAt: now,
        erased: false,
        streamVersion: 7,
      });
    });
  });

  describe('order violations: 409, nothing recorded', () => {
    it.each([
      ['consent before the client is informed', upTo.listed, { type: 'RecordConsent', ...outgoing, given: true, date: today }, /inform the client before/],
      ['informing twice', upTo.informed, { type: 'InformClient', ...outgoing, date: today, channel: 'letter' }, /informed already/],
      ['consent twice', upTo.consented, { type: 'RecordConsent', ...outgoing, given: true, date: today }, /consent is recorded already/],
      ['the file before consent', upTo.informed, { type: 'TransferFile', ...outgoing, fileId, mediaType: 'application/pdf', bytes: 1 }, /only once the client has consented/],
      ['the file twice', upTo.fileTransferred, { type: 'TransferFile', ...outgoing, fileId, mediaType: 'application/pdf', bytes: 1 }, /transferred already/],
      ['an intake before the file', upTo.consented, { type: 'PlanIntake', ...incoming, date: tomorrow }, /once the file is transferred/],
      ['an intake twice', upTo.intakePlanned, { type: 'PlanIntake', ...incoming, date: tomorrow }, /planned already/],
      ['accepting before the intake', upTo.fileTransferred, { type: 'AcceptTransfer', ...incoming, date: today }, /after its intake is planned/],
      ['accepting twice', upTo.accepted, { type: 'AcceptTransfer', ...incoming, date: today }, /accepted already/],
      ['anything after a refusal', upTo.declined, { type: 'TransferFile', ...outgoing, fileId, mediaType: 'application/pdf', bytes: 1 }, /declined already/],
      ['informing an ended transfer', upTo.ended, { type: 'InformClient', ...outgoing, date: today, channel: 'letter' }, /ended already/],
    ] as Array<[string, () => ClientTransferEvent[], TransferCommand, RegExp]>)('refuses %s', (_case, history, command, message) => {
      given(...history()).when(command).thenRejects('Conflict', message);
    });
  });

  describe('the wrong provider: 403, nothing recorded', () => {
    it.each([
      ['the incoming informing', upTo.listed, { type: 'InformClient', ...incoming, date: today, channel: 'letter' }, /outgoing provider's/],
      ['a member of the incoming recording consent', upTo.informed, { type: 'RecordConsent', ...member, given: true, date: today }, /outgoing provider's/],
      ['the incoming sending the file', upTo.consented, { type: 'TransferFile', ...incoming, fileId, mediaType: 'application/pdf', bytes: 1 }, /outgoing provider's/],
      ['the outgoing planning the intake', upTo.fileTransferred, { type: 'PlanIntake', ...outgoing, date: tomorrow }, /incoming provider's/],
      ['the outgoing accepting', upTo.intakePlanned, { type: 'AcceptTransfer', ...outgoing, date: today }, /incoming provider's/],
      ['a bystander ending', upTo.listed, { type: 'EndTransfer', ...bystander, reason: 'moved-away' }, /outgoing or the incoming/],
      ['a coordinator ending', upTo.listed, { type: 'EndTransfer', ...coordinator, reason: 'moved-away' }, /outgoing or the incoming/],
      ['the incoming erasing', upTo.listed, { type: 'ErasePersonalData', ...incoming, reason: 'request' }, /outgoing provider's/],
      ['a bystander erasing', upTo.listed, { type: 'ErasePersonalData', ...bystander, reason: 'request' }, /outgoing provider's/],
    ] as Array<[string, () => ClientTransferEvent[], TransferCommand, RegExp]>)('refuses %s', (_case, history, command, message) => {
      given(...history()).when(command).thenRejects('Forbidden', message);
    });

    it('checks the provider before the step: a bystander learns nothing about where a transfer is', () => {
      given(...upTo.accepted()).when({ type: 'InformClient', ...bystander, date: today, channel: 'letter' }).thenRejects('Forbidden');
    });
  });

  describe('dates: 400, nothing recorded', () => {
    it.each([
      ['informed tomorrow', upTo.listed, { type: 'InformClient', ...outgoing, date: tomorrow, channel: 'letter' }, /date must not be after today/],
      ['informed in 9999', upTo.listed, { type: 'InformClient', ...outgoing, date: '9999-12-31', channel: 'letter' }, /date must not be after today/],
      ['informed more than two years ago', upTo.listed, { type: 'InformClient', ...outgoing, date: addDays(addYears(today, -2), -1), channel: 'letter' }, /at most 2 years ago/],
      ['consent in the future', upTo.informed, { type: 'RecordConsent', ...outgoing, given: true, date: tomorrow }, /date must not be after today/],
      ['consent before the client was informed', upTo.informed, { type: 'RecordConsent', ...outgoing, given: true, date: addDays(today, -11) }, /not be before the day the client was informed/],
      ['a refusal before the client was informed', upTo.informed, { type: 'RecordConsent', ...outgoing, given: false, date: addDays(today, -11) }, /not be before the day the client was informed/],
      ['an intake before consent', upTo.fileTransferred, { type: 'PlanIntake', ...incoming, date: addDays(today, -6) }, /not be before the day of consent/],
      ['an intake more than a year ahead', upTo.fileTransferred, { type: 'PlanIntake', ...incoming, date: addDays(addYears(today, 1), 1) }, /at most 1 year ahead/],
      ['accepted in the future', upTo.intakePlanned, { type: 'AcceptTransfer', ...incoming, date: tomorrow }, /date must not be after today/],
      ['accepted before consent', upTo.intakePlanned, { type: 'AcceptTransfer', ...incoming, date: addDays(today, -6) }, /not be before the day of consent/],
    ] as Array<[string, () => ClientTransferEvent[], TransferCommand, RegExp]>)('refuses %s', (_case, history, command, message) => {
      given(...history()).when(command).thenRejects('Invalid', message);
    });

    it('counts "today" in Europe/Amsterdam: at 23:30 UTC on 30 November it is 1 December there', () => {
      const lateEvening = Date.parse('2026-11-30T23:30:00Z');
      given(...upTo.listed())
        .when({ type: 'InformClient', ...outgoing, date: '2026-12-01', channel: 'letter' }, lateEvening)
        .then([{ type: 'ClientInformed', data: { pseudonym, date: '2026-12-01', channel: 'letter' } }]);
    });
  });

  describe('ending: from any step before the finish, by either provider', () => {
    it.each([
      ['listed', upTo.listed],
      ['informed', upTo.informed],
      ['consent given', upTo.consented],
      ['file transferred', upTo.fileTransferred],
      ['intake planned', upTo.intakePlanned],
    ])('ends a transfer at %s', (_step, history) => {
      for (const who of [outgoing, incoming, member]) {
        given(...history()).when({ type: 'EndTransfer', ...who, reason: 'deceased' }).then([
          { type: 'TransferEnded', data: { pseudonym, reason: 'deceased' } },
          { type: 'TransferFinished', data: { pseudonym, outcome: 'ended' } },
        ]);
      }
    });

    it.each([['accepted', upTo.accepted], ['declined', upTo.declined], ['ended', upTo.ended]])('refuses to end a transfer %s already', (step, history) => {
      given(...history()).when({ type: 'EndTransfer', ...outgoing, reason: 'moved-away' }).thenRejects('Conflict', new RegExp(`${step} already`));
    });

    it('keeps the reason, a code', () => {
      const { state } = given(e.listed(), e.ended('support-no-longer-needed'), e.finished('ended'));
      expect(state).toMatchObject({ step: 'ended', endReason: 'support-no-longer-needed', finishedAt: now });
    });
  });

  describe('erasure', () => {
    it('erases on request of the outgoing provider, with the code only, at any step', () => {
      for (const history of [upTo.listed, upTo.consented, upTo.accepted, upTo.declined]) {
        given(...history()).when({ type: 'ErasePersonalData', ...outgoing, reason: 'request' }).then([e.erased('request')]);
      }
    });

    it('refuses to erase twice: 409', () => {
      given(...upTo.listed(), e.erased()).when({ type: 'ErasePersonalData', ...outgoing, reason: 'request' }).thenRejects('Conflict', /erased/);
    });

    it('erases for retention once, silently after that', () => {
      given(...upTo.accepted()).when({ type: 'EraseForRetention' }).then([e.erased('retention')]);
      given(...upTo.accepted(), e.erased('retention')).when({ type: 'EraseForRetention' }).then([]);
    });

    it('keeps no file to move once erased', () => {
      given(...upTo.consented(), e.erased())
        .when({ type: 'TransferFile', ...outgoing, fileId, mediaType: 'application/pdf', bytes: 1 })
        .thenRejects('Conflict', /erased/);
      expect(given(...upTo.consented(), e.erased()).state).toMatchObject({ erased: true, erasureReason: 'request', step: 'consent-given' });
    });

    it('still lets the steps that need no personal data go on', () => {
      given(...upTo.fileTransferred(), e.erased()).when({ type: 'PlanIntake', ...incoming, date: tomorrow }).then([e.intake()]);
    });
  });

  describe('downloads of the file', () => {
    const download = (who: { actor: Actor; actingFor: string[] }, id = fileId): TransferCommand => ({ type: 'RecordDownload', ...who, fileId: id });
    const downloaded = (organisation: string): ClientTransferEvent => ({ type: 'ClientFileDownloaded', data: { pseudonym, fileId, organisation } });

    it('records a download by the outgoing or (after consent) the incoming provider, naming the organisation', () => {
      given(...upTo.fileTransferred()).when(download(outgoing)).then([downloaded('stadsdeelwerk')]);
      given(...upTo.fileTransferred()).when(download(incoming)).then([downloaded('twentse-wijkalliantie')]);
      given(...upTo.fileTransferred()).when(download(member)).then([downloaded('jongerenpunt')]);
      given(...upTo.accepted()).when(download(incoming)).then([downloaded('twentse-wijkalliantie')]);
    });

    it('lets the incoming provider download after the transfer ended, consent having been given', () => {
      given(...upTo.fileTransferred(), e.ended(), e.finished('ended')).when(download(incoming)).then([downloaded('twentse-wijkalliantie')]);
    });

    it('refuses a bystander (403), an unknown file (404) and an erased client (409)', () => {
      given(...upTo.fileTransferred()).when(download(bystander)).thenRejects('Forbidden');
      given(...upTo.fileTransferred()).when(download(outgoing, '00000000-0000-4000-8000-000000000000')).thenRejects('NotFound');
      given(...upTo.consented()).when(download(outgoing)).thenRejects('NotFound');
      given(...upTo.fileTransferred(), e.erased()).when(download(outgoing)).thenRejects('Conflict', /erased/);
    });

    it('changes nothing but the version', () => {
      const before = given(...upTo.fileTransferred()).state!;
      const after = evolveTransfer(before, downloaded('stadsdeelwerk'), context, start);
      expect(after).toEqual({ ...before, streamVersion: before.streamVersion + 1 });
    });
  });

  describe('reminders', () => {
    it('records a reminder with the step it was about', () => {
      given(...upTo.informed()).when({ type: 'RecordReminder', notificationId: 'n-1', organisation: 'stadsdeelwerk' }).then([
        { type: 'TransferReminderSent', data: { pseudonym, notificationId: 'n-1', step: 'informed', organisation: 'stadsdeelwerk' } },
      ]);
    });
  });

  describe('evolve', () => {
    it('moves stepSince with every step, not with a download, reminder or erasure', () => {
      const later = now + 60_000;
      const state = given(...upTo.listed()).state!;
      const informed = evolveTransfer(state, e.informed(), { at: later, actor: outgoing.actor }, start);
      expect(informed.stepSince).toBe(later);
      const erased = evolveTransfer(informed, e.erased(), { at: later + 1, actor: outgoing.actor }, start);
      expect(erased.stepSince).toBe(later);
    });

    it('refuses an event before the listing: a defect, not a state', () => {
      expect(() => evolveTransfer(null, e.informed(), context, start)).toThrow(/before ClientListed/);
    });
  });
});
