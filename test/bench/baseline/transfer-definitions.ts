import { defineUpdate } from '@temporalio/workflow';

/** The transfer baseline's workflow type and task queue: nothing of Overdracht's. */
export const BARE_TRANSFER_WORKFLOW = 'bareTransferWorkflow';
export const BARE_TRANSFER_TASK_QUEUE = 'bench-transfer-baseline';

/**
 * One update per step a client transfer takes, each returning at once: listed (sent with the
 * start, as the import sends `transferListed`), informed, consent, file, intake, accept.
 */
export const bareTransferUpdates = {
  listed: defineUpdate<string>('bareListed'),
  informed: defineUpdate<string>('bareInformed'),
  consent: defineUpdate<string>('bareConsent'),
  file: defineUpdate<string>('bareFile'),
  intake: defineUpdate<string>('bareIntake'),
  accept: defineUpdate<string>('bareAccept'),
};
export type BareTransferStep = keyof typeof bareTransferUpdates;
