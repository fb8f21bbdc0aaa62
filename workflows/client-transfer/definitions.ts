import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EndReason, ErasureReason, InformChannel, TargetGroup, TransferStep } from '../../src/clients/client.events';
import type { Actor } from '../../src/events/event.types';
import type { CommandActor } from '../transition/definitions';

/** The handover a transfer belongs to: codes only. */
export interface TransferHandover {
  transitionId: string;
  municipality: string;
  district: string;
  outgoingProvider: string;
  incomingProvider: string;
  /** Go-live when the client was listed (YYYY-MM-DD); retention re-reads the current one. */
  goLiveDate: string;
}

/** When a stalled step reminds the provider who must act, and how long personal data is kept. */
export interface TransferPolicy {
  /** Business days after the client was informed (consent asked) without an answer. */
  consentAnswerBusinessDays: number;
  /** Business days after consent without the file. */
  fileAfterConsentBusinessDays: number;
  /** Business days after the file without an intake planned. */
  intakeAfterFileBusinessDays: number;
  /** Days after the later of go-live and the transfer's end, after which personal data is erased. */
  retentionDays: number;
}

/** The workflow's input: everything but personal data, which stays in the vault. */
export interface TransferStart {
  handover: TransferHandover;
  pseudonym: string;
  importId: string;
  targetGroup: TargetGroup;
  policy: TransferPolicy;
  /** Dutch public holidays (YYYY-MM-DD) over the transfer's span. */
  holidays: string[];
  requestedBy: Actor;
  correlationId: string;
  carried?: CarriedTransfer;
}

export interface TransferStatus {
  pseudonym: string;
  handover: TransferHandover;
  targetGroup: TargetGroup;
  step: TransferStep;
  /** When the current step was reached, epoch ms: stall reminders count from it. */
  stepSince: number;
  informed: { date: string; channel: InformChannel } | null;
  consentDate: string | null;
  file: { fileId: string; mediaType: 'application/pdf' | 'application/zip'; bytes: number } | null;
  intakeDate: string | null;
  acceptedDate: string | null;
  endReason: EndReason | null;
  /** When it was accepted, declined or ended, epoch ms. */
  finishedAt: number | null;
  erased: boolean;
  erasureReason: ErasureReason | null;
  streamVersion: number;
}

export interface CarriedTransfer {
  status: TransferStatus;
  fired: string[];
  lastEventId: string | null;
}

export interface InformClientCommand extends CommandActor { date: string; channel: InformChannel }
export interface RecordConsentCommand extends CommandActor { given: boolean; date: string }
export interface TransferFileCommand extends CommandActor {
  fileId: string;
  mediaType: 'application/pdf' | 'application/zip';
  bytes: number;
}
export interface PlanIntakeCommand extends CommandActor { date: string }
export interface AcceptTransferCommand extends CommandActor { date: string }
export interface EndTransferCommand extends CommandActor { reason: EndReason }
export interface RecordDownloadCommand extends CommandActor { fileId: string }
export interface ErasePersonalDataCommand extends CommandActor { reason: 'request' }

export const transferStatusQuery = defineQuery<TransferStatus>('transferStatus');
/** Completes once the client is listed in the store: the import moves on only then. */
export const transferListedUpdate = defineUpdate<TransferStatus>('transferListed');
export const informClientUpdate = defineUpdate<TransferStatus, [InformClientCommand]>('informClient');
export const recordConsentUpdate = defineUpdate<TransferStatus, [RecordConsentCommand]>('recordConsent');
export const transferFileUpdate = defineUpdate<TransferStatus, [TransferFileCommand]>('transferFile');
export const planIntakeUpdate = defineUpdate<TransferStatus, [PlanIntakeCommand]>('planIntake');
export const acceptTransferUpdate = defineUpdate<TransferStatus, [AcceptTransferCommand]>('acceptTransfer');
export const endTransferUpdate = defineUpdate<TransferStatus, [EndTransferCommand]>('endTransfer');
export const recordDownloadUpdate = defineUpdate<TransferStatus, [RecordDownloadCommand]>('recordDownload');
export const erasePersonalDataUpdate = defineUpdate<TransferStatus, [ErasePersonalDataCommand]>('erasePersonalData');

/** Search attributes of a transfer: codes only, never anything about the person. */
export const TransferStepAttribute = defineSearchAttributeKey('TransferStep', 'KEYWORD');
