import type { ClientListed, ClientTransferEvent } from '../../src/clients/client.events';
import type { EventContext } from '../shared/stream-recorder';
import type { TransferStart, TransferStatus } from './definitions';

/** The transfer's state after an event: pure, applied only once the event is in the store. */
export function evolveTransfer(
  state: TransferStatus | null,
  event: ClientTransferEvent,
  { at }: EventContext,
  start: Pick<TransferStart, 'handover'>,
): TransferStatus {
  if (event.type === 'ClientListed') return listed(event, at, start);
  if (!state) throw new Error(`${event.type} before ClientListed`);
  const next = { ...state, streamVersion: state.streamVersion + 1 };
  switch (event.type) {
    case 'ClientInformed':
      return { ...next, step: 'informed', stepSince: at, informed: { date: event.data.date, channel: event.data.channel } };
    case 'ConsentGiven':
      return { ...next, step: 'consent-given', stepSince: at, consentDate: event.data.date };
    case 'ConsentRefused':
      return { ...next, step: 'declined', stepSince: at };
    case 'ClientFileTransferred':
      return {
        ...next,
        step: 'file-transferred',
        stepSince: at,
        file: { fileId: event.data.fileId, mediaType: event.data.mediaType, bytes: event.data.bytes },
      };
    case 'IntakePlanned':
      return { ...next, step: 'intake-planned', stepSince: at, intakeDate: event.data.date };
    case 'TransferAccepted':
      return { ...next, step: 'accepted', stepSince: at, acceptedDate: event.data.date };
    case 'TransferEnded':
      return { ...next, step: 'ended', stepSince: at, endReason: event.data.reason };
    case 'TransferFinished':
      return { ...next, finishedAt: at };
    case 'PersonalDataErased':
      return { ...next, erased: true, erasureReason: event.data.reason };
    case 'ClientFileDownloaded':
    case 'TransferReminderSent':
      return next;
  }
}

function listed({ data }: ClientListed, at: number, { handover }: Pick<TransferStart, 'handover'>): TransferStatus {
  return {
    pseudonym: data.pseudonym,
    handover,
    targetGroup: data.targetGroup,
    step: 'listed',
    stepSince: at,
    informed: null,
    consentDate: null,
    file: null,
    intakeDate: null,
    acceptedDate: null,
    endReason: null,
    finishedAt: null,
    erased: false,
    erasureReason: null,
    streamVersion: 1,
  };
}
