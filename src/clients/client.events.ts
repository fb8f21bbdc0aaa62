import type { Event } from '../events/event.types';

/**
 * Every event of a client transfer's stream (`transfer.<transitionId>.<pseudonym>`). Data holds
 * the pseudonym, codes and dates only: never a name, address, client number, date of birth,
 * free text about the person or anything derived from them (a file's size and type are facts
 * about the package, not about the person).
 */
export const TARGET_GROUPS = ['jeugd', 'ouderen', 'kwetsbare-bewoners', 'overig'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

export const INFORM_CHANNELS = ['letter', 'phone', 'in-person', 'e-mail'] as const;
export type InformChannel = (typeof INFORM_CHANNELS)[number];

/** Why a transfer ended before it was accepted. */
export const END_REASONS = ['moved-away', 'support-no-longer-needed', 'deceased'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Why personal data was erased: the person asked (via the outgoing provider) or its retention ran out. */
export const ERASURE_REASONS = ['request', 'retention'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export type TransferStep =
  | 'listed'
  | 'informed'
  | 'consent-given'
  | 'file-transferred'
  | 'intake-planned'
  | 'accepted'
  | 'declined'
  | 'ended';

export const FINISHED_STEPS: readonly TransferStep[] = ['accepted', 'declined', 'ended'];

export type ClientListed = Event<
  'ClientListed',
  {
    transitionId: string;
    pseudonym: string;
    importId: string;
    targetGroup: TargetGroup;
    municipality: string;
    district: string;
    outgoingProvider: string;
    incomingProvider: string;
  }
>;
export type ClientInformed = Event<'ClientInformed', { pseudonym: string; date: string; channel: InformChannel }>;
export type ConsentGiven = Event<'ConsentGiven', { pseudonym: string; date: string }>;
export type ConsentRefused = Event<'ConsentRefused', { pseudonym: string; date: string }>;
export type ClientFileTransferred = Event<
  'ClientFileTransferred',
  { pseudonym: string; fileId: string; mediaType: 'application/pdf' | 'application/zip'; bytes: number }
>;
export type ClientFileDownloaded = Event<'ClientFileDownloaded', { pseudonym: string; fileId: string; organisation: string }>;
export type IntakePlanned = Event<'IntakePlanned', { pseudonym: string; date: string }>;
export type TransferAccepted = Event<'TransferAccepted', { pseudonym: string; date: string }>;
export type TransferEnded = Event<'TransferEnded', { pseudonym: string; reason: EndReason }>;
/** Follows ConsentRefused, TransferAccepted or TransferEnded: the transfer is finished, with its outcome. */
export type TransferFinished = Event<'TransferFinished', { pseudonym: string; outcome: 'accepted' | 'declined' | 'ended' }>;
export type TransferReminderSent = Event<
  'TransferReminderSent',
  { pseudonym: string; notificationId: string; step: TransferStep; organisation: string }
>;
/** The client's key is destroyed: personal data, free text and file can no longer be read. */
export type PersonalDataErased = Event<'PersonalDataErased', { pseudonym: string; reason: ErasureReason }>;

export type ClientTransferEvent =
  | ClientListed
  | ClientInformed
  | ConsentGiven
  | ConsentRefused
  | ClientFileTransferred
  | ClientFileDownloaded
  | IntakePlanned
  | TransferAccepted
  | TransferEnded
  | TransferFinished
  | TransferReminderSent
  | PersonalDataErased;

export type ClientTransferEventType = ClientTransferEvent['type'];

export const CLIENT_TRANSFER_EVENT_SCHEMA_VERSIONS: { readonly [T in ClientTransferEventType]: number } = {
  ClientListed: 1,
  ClientInformed: 1,
  ConsentGiven: 1,
  ConsentRefused: 1,
  ClientFileTransferred: 1,
  ClientFileDownloaded: 1,
  IntakePlanned: 1,
  TransferAccepted: 1,
  TransferEnded: 1,
  TransferFinished: 1,
  TransferReminderSent: 1,
  PersonalDataErased: 1,
};

/** The workflow id, and stream id, of one client's transfer. */
export const transferIdOf = (transitionId: string, pseudonym: string) => `transfer.${transitionId}.${pseudonym}`;

/** A random id, 20 lowercase hex characters: it says nothing about the person. */
export const PSEUDONYM_PATTERN = /^[0-9a-f]{20}$/;
