import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ClientImportActivities } from '../../src/clients/import/client-import.activities';
import type { TransferStart } from '../client-transfer/definitions';

/** What every transfer of an import starts with; the pseudonym and target group come per client. */
export type TransferTemplate = Omit<TransferStart, 'pseudonym' | 'targetGroup' | 'importId' | 'carried'>;

export interface ClientImportStart {
  importId: string;
  transitionId: string;
  /** New clients in the import: the transfers to start. */
  clients: number;
  transfer: TransferTemplate;
  /** Present when the import continued as new: where it was. */
  carried?: { nextOffset: number };
}

/** Clients per page, and pages started at once: at most WINDOW × PAGE transfers being started. */
const PAGE = 100;
const WINDOW = 4;
const MAX_HISTORY_EVENTS = 2_000;

const { clientImportStarted, clientImportFinished } = proxyActivities<ClientImportActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { startTransfers } = proxyActivities<ClientImportActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Starts the transfer of every new client of an accepted import, through a sliding window (as
 * `batch-sliding-window` in Temporal's samples, with pages of clients instead of single ones):
 * up to WINDOW pages are being started at once, each as one activity that starts its clients'
 * workflows and waits until each is listed in the store. Starting is idempotent (a transfer
 * that exists is left as it is), so after a crash the import resumes and every client is listed
 * once. The handover hears of the import twice, at its start and its end, never per client.
 */
export async function clientImportWorkflow(start: ClientImportStart): Promise<void> {
  const { importId, transitionId, clients } = start;
  if (!start.carried) await clientImportStarted({ transitionId, importId });

  let nextOffset = start.carried?.nextOffset ?? 0;
  const inFlight = new Map<number, Promise<void>>();
  while (nextOffset < clients || inFlight.size > 0) {
    while (inFlight.size < WINDOW && nextOffset < clients) {
      const offset = nextOffset;
      nextOffset += PAGE;
      const page = startTransfers({ importId, transitionId, offset, limit: PAGE, transfer: start.transfer }).then(() => {
        inFlight.delete(offset);
      });
      inFlight.set(offset, page);
    }
    await Promise.race(inFlight.values());
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await Promise.all(inFlight.values());
      if (nextOffset < clients) await continueAsNew<typeof clientImportWorkflow>({ ...start, carried: { nextOffset } });
    }
  }
  await clientImportFinished({ transitionId, importId });
}

export const clientImportWorkflowId = (transitionId: string, importId: string) => `clients-import.${transitionId}.${importId}`;
