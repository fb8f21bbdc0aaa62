import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { checkClientTransfersUpdate, ClientTransferCounts } from '../../workflows/transition/definitions';
import type { ErasureReason } from './client.events';
import { appendErasure } from './vault/erasure-log';

export interface ClientActivityDependencies {
  dataSource: DataSource;
  temporal: Client;
  erasureLogFile: string;
}

/** Activities of client transfers for the handover's and the transfers' workflows: counts, go-live, bookkeeping. */
export function createClientActivities({ dataSource, temporal, erasureLogFile }: ClientActivityDependencies) {
  async function clientTransferCounts(transitionId: string): Promise<ClientTransferCounts> {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT finished)::int AS open
       FROM client_transfers WHERE transition_id = $1`,
      [transitionId],
    );
    return { total: row.total, open: row.open };
  }

  return {
    clientTransferCounts,

    /** The handover's go-live date now (it may have moved since a client was listed). */
    async handoverGoLive(transitionId: string): Promise<string | null> {
      const [row] = await dataSource.query(
        `SELECT to_char(go_live_date, 'YYYY-MM-DD') AS "goLiveDate" FROM transition_summaries WHERE transition_id = $1`,
        [transitionId],
      );
      return row?.goLiveDate ?? null;
    },

    /**
     * A transfer has finished. When none of the handover's is left open, the handover checks its
     * client milestone against the data: one update when the last one finishes, not one per client.
     */
    async transferFinished(transitionId: string): Promise<void> {
      const { total, open } = await clientTransferCounts(transitionId);
      if (open > 0) return;
      try {
        // Transfers finishing together may each find none open: one update id makes their checks one.
        await temporal.workflow.getHandle(transitionId).executeUpdate(checkClientTransfersUpdate, { updateId: `client-transfers-finished:${total}` });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return; // the handover has ended: nothing to check
        throw error;
      }
    },

    /** Keeps the erasure outside the database, so it can be applied again after a restore from an older backup. */
    async logErasure(entry: { pseudonym: string; transitionId: string; reason: ErasureReason; erasedAt: string }): Promise<void> {
      await appendErasure(erasureLogFile, entry);
    },
  };
}

export type ClientActivities = ReturnType<typeof createClientActivities>;
