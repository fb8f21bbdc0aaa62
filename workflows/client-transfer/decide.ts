import type { ClientTransferEvent, EndReason, TransferStep } from '../../src/clients/client.events';
import { addYears, amsterdamDate } from '../../src/time/calendar';
import { EventContext, reject } from '../shared/stream-recorder';
import {
  AcceptTransferCommand,
  EndTransferCommand,
  ErasePersonalDataCommand,
  InformClientCommand,
  PlanIntakeCommand,
  RecordConsentCommand,
  RecordDownloadCommand,
  TransferFileCommand,
  TransferStart,
  TransferStatus,
} from './definitions';
import { CommandRejection } from '../transition/definitions';
import { evolveTransfer } from './evolve';

/** Everything that can change a client transfer: the providers' commands and the workflow's clock. */
export type TransferCommand =
  | { type: 'ListClient'; start: TransferStart }
  | ({ type: 'InformClient' } & InformClientCommand)
  | ({ type: 'RecordConsent' } & RecordConsentCommand)
  | ({ type: 'TransferFile' } & TransferFileCommand)
  | ({ type: 'PlanIntake' } & PlanIntakeCommand)
  | ({ type: 'AcceptTransfer' } & AcceptTransferCommand)
  | ({ type: 'EndTransfer' } & EndTransferCommand)
  | ({ type: 'RecordDownload' } & RecordDownloadCommand)
  | ({ type: 'ErasePersonalData' } & ErasePersonalDataCommand)
  | { type: 'EraseForRetention' }
  | { type: 'RecordReminder'; notificationId: string; organisation: string };

const FINISHED: readonly TransferStep[] = ['accepted', 'declined', 'ended'];
/** How far back a provider may date what it did (informed, consent): a handover's preparation takes months, not years. */
const MAX_YEARS_BACK = 2;
const MAX_INTAKE_YEARS_AHEAD = 1;

/**
 * The events a command causes in the transfer's current state, or a rejection (nothing
 * recorded). Pure; the update validators call it to refuse early and the handlers call it
 * again, one at a time, before recording what it returns.
 */
export function decideTransfer(state: TransferStatus | null, command: TransferCommand, context: EventContext): ClientTransferEvent[] {
  if (command.type === 'ListClient') {
    if (state) throw reject(CommandRejection.conflict, 'the client is listed already');
    const { handover, pseudonym, importId, targetGroup } = command.start;
    return [{ type: 'ClientListed', data: { ...withoutGoLive(handover), pseudonym, importId, targetGroup } }];
  }
  if (!state) throw reject(CommandRejection.unavailable, 'the transfer is still being recorded; try again');
  const { pseudonym } = state;
  const today = amsterdamDate(context.at);

  switch (command.type) {
    case 'InformClient':
      mustBeOutgoing(state, command.actingFor);
      atStep(state, 'listed', 'the client was informed already');
      pastDate('date', command.date, today);
      return [{ type: 'ClientInformed', data: { pseudonym, date: command.date, channel: command.channel } }];
    case 'RecordConsent': {
      mustBeOutgoing(state, command.actingFor);
      atStep(state, 'informed', state.step === 'listed' ? 'inform the client before recording consent' : 'consent is recorded already');
      pastDate('date', command.date, today);
      notBefore('date', command.date, state.informed!.date, 'the day the client was informed');
      if (command.given) return [{ type: 'ConsentGiven', data: { pseudonym, date: command.date } }];
      return [
        { type: 'ConsentRefused', data: { pseudonym, date: command.date } },
        { type: 'TransferFinished', data: { pseudonym, outcome: 'declined' } },
      ];
    }
    case 'TransferFile':
      mustBeOutgoing(state, command.actingFor);
      notErased(state);
      atStep(state, 'consent-given', state.file ? 'the file is transferred already' : 'the file moves only once the client has consented');
      return [
        { type: 'ClientFileTransferred', data: { pseudonym, fileId: command.fileId, mediaType: command.mediaType, bytes: command.bytes } },
      ];
    case 'PlanIntake':
      mustBeIncoming(state, command.actingFor);
      atStep(state, 'file-transferred', state.intakeDate ? 'the intake is planned already' : 'the intake is planned once the file is transferred');
      notBefore('date', command.date, state.consentDate!, 'the day of consent');
      if (command.date > addYears(today, MAX_INTAKE_YEARS_AHEAD)) {
        throw reject(CommandRejection.invalid, `date must be at most ${MAX_INTAKE_YEARS_AHEAD} year ahead`);
      }
      return [{ type: 'IntakePlanned', data: { pseudonym, date: command.date } }];
    case 'AcceptTransfer':
      mustBeIncoming(state, command.actingFor);
      atStep(state, 'intake-planned', 'the transfer is accepted after its intake is planned');
      pastDate('date', command.date, today);
      notBefore('date', command.date, state.consentDate!, 'the day of consent');
      return [
        { type: 'TransferAccepted', data: { pseudonym, date: command.date } },
        { type: 'TransferFinished', data: { pseudonym, outcome: 'accepted' } },
      ];
    case 'EndTransfer':
      if (!command.actingFor.includes(state.handover.outgoingProvider) && !command.actingFor.includes(state.handover.incomingProvider)) {
        throw reject(CommandRejection.forbidden, 'only the outgoing or the incoming provider may end a transfer');
      }
      notFinished(state);
      return ended(pseudonym, command.reason);
    case 'RecordDownload': {
      const outgoing = command.actingFor.includes(state.handover.outgoingProvider);
      const incoming = command.actingFor.includes(state.handover.incomingProvider);
      if (!outgoing && !incoming) throw reject(CommandRejection.forbidden, 'the file belongs to another organisation');
      notErased(state);
      if (!state.file || state.file.fileId !== command.fileId) throw reject(CommandRejection.notFound, 'the transfer has no such file');
      if (!outgoing && (state.consentDate === null || state.step === 'declined')) {
        throw reject(CommandRejection.forbidden, 'the incoming provider sees the file only once the client has consented');
      }
      return [{ type: 'ClientFileDownloaded', data: { pseudonym, fileId: command.fileId, organisation: command.actor.organisation ?? '' } }];
    }
    case 'ErasePersonalData':
      mustBeOutgoing(state, command.actingFor);
      notErased(state);
      return [{ type: 'PersonalDataErased', data: { pseudonym, reason: 'request' } }];
    case 'EraseForRetention':
      if (state.erased) return [];
      return [{ type: 'PersonalDataErased', data: { pseudonym, reason: 'retention' } }];
    case 'RecordReminder':
      return [
        { type: 'TransferReminderSent', data: { pseudonym, notificationId: command.notificationId, step: state.step, organisation: command.organisation } },
      ];
  }
}

const withoutGoLive = ({ goLiveDate: _goLive, ...handover }: TransferStart['handover']) => handover;

function ended(pseudonym: string, reason: EndReason): ClientTransferEvent[] {
  return [
    { type: 'TransferEnded', data: { pseudonym, reason } },
    { type: 'TransferFinished', data: { pseudonym, outcome: 'ended' } },
  ];
}

function mustBeOutgoing(state: TransferStatus, actingFor: string[]): void {
  if (!actingFor.includes(state.handover.outgoingProvider)) throw reject(CommandRejection.forbidden, 'this step is the outgoing provider\'s');
}

function mustBeIncoming(state: TransferStatus, actingFor: string[]): void {
  if (!actingFor.includes(state.handover.incomingProvider)) throw reject(CommandRejection.forbidden, 'this step is the incoming provider\'s');
}

function notFinished(state: TransferStatus): void {
  if (FINISHED.includes(state.step)) throw reject(CommandRejection.conflict, `the transfer is ${state.step} already`);
}

function atStep(state: TransferStatus, step: TransferStep, otherwise: string): void {
  notFinished(state);
  if (state.step !== step) throw reject(CommandRejection.conflict, otherwise);
}

function notErased(state: TransferStatus): void {
  if (state.erased) throw reject(CommandRejection.conflict, "the client's personal data is erased");
}

function pastDate(field: string, date: string, today: string): void {
  if (date > today) throw reject(CommandRejection.invalid, `${field} must not be after today`);
  if (date < addYears(today, -MAX_YEARS_BACK)) throw reject(CommandRejection.invalid, `${field} must be at most ${MAX_YEARS_BACK} years ago`);
}

function notBefore(field: string, date: string, earliest: string, what: string): void {
  if (date < earliest) throw reject(CommandRejection.invalid, `${field} must not be before ${what}`);
}

/** Whether a transfer is done with: accepted, declined or ended. */
export const isFinished = (state: TransferStatus) => FINISHED.includes(state.step);

export { evolveTransfer };
