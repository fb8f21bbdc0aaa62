import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { TransferTemplate } from '../../../workflows/client-import/workflow';
import { transferListedUpdate, TransferStepAttribute } from '../../../workflows/client-transfer/definitions';
import { clientTransferWorkflow } from '../../../workflows/client-transfer/workflow';
import {
  clientImportFinishedUpdate,
  clientImportStartedUpdate,
  DistrictAttribute,
  MunicipalityAttribute,
} from '../../../workflows/transition/definitions';
import { TargetGroup, transferIdOf } from '../client.events';

export interface ClientImportActivityDependencies {
  dataSource: DataSource;
  temporal: Client;
  taskQueue: string;
}

/** Transfers started at once within one page. */
const STARTS_AT_ONCE = 20;

/** Activities of the client import workflow: tell the handover, start the transfers page by page. */
export function createClientImportActivities({ dataSource, temporal, taskQueue }: ClientImportActivityDependencies) {
  const handover = (transitionId: string) => temporal.workflow.getHandle(transitionId);

  /** Starts one client's transfer and waits until it is listed; one that exists already is left as it is. */
  async function startTransfer(transfer: TransferTemplate, importId: string, item: { pseudonym: string; targetGroup: TargetGroup }) {
    const { transitionId, municipality, district } = transfer.handover;
    const operation = new WithStartWorkflowOperation(clientTransferWorkflow, {
      workflowId: transferIdOf(transitionId, item.pseudonym),
      taskQueue,
      args: [{ ...transfer, importId, pseudonym: item.pseudonym, targetGroup: item.targetGroup }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: MunicipalityAttribute, value: municipality },
        { key: DistrictAttribute, value: district },
        { key: TransferStepAttribute, value: 'listed' },
      ],
    });
    try {
      await temporal.workflow.executeUpdateWithStart(transferListedUpdate, { startWorkflowOperation: operation });
    } catch (error) {
      // Finished and closed long ago (erased): it was listed once, which is all an import asks.
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  }

  return {
    async clientImportStarted({ transitionId, importId }: { transitionId: string; importId: string }): Promise<void> {
      await handover(transitionId).executeUpdate(clientImportStartedUpdate, { args: [{ importId }] });
    },

    /** One page of the import's new clients, in their order in the file; heartbeats how far it got. */
    async startTransfers(request: { importId: string; transitionId: string; offset: number; limit: number; transfer: TransferTemplate }): Promise<void> {
      const items: Array<{ pseudonym: string; targetGroup: TargetGroup }> = await dataSource.query(
        `SELECT pseudonym, target_group AS "targetGroup" FROM client_import_items
         WHERE import_id = $1 ORDER BY seq OFFSET $2 LIMIT $3`,
        [request.importId, request.offset, request.limit],
      );
      const done = (Context.current().info.heartbeatDetails as number | undefined) ?? 0;
      for (let index = done; index < items.length; index += STARTS_AT_ONCE) {
        await Promise.all(items.slice(index, index + STARTS_AT_ONCE).map((item) => startTransfer(request.transfer, request.importId, item)));
        Context.current().heartbeat(Math.min(index + STARTS_AT_ONCE, items.length));
      }
    },

    /** Every client is listed: the import is done, and the handover checks its client milestone against the data. */
    async clientImportFinished({ transitionId, importId }: { transitionId: string; importId: string }): Promise<void> {
      await dataSource.query(
        `UPDATE client_imports SET state = 'finished', finished_at = now() WHERE import_id = $1 AND state = 'running'`,
        [importId],
      );
      try {
        await handover(transitionId).executeUpdate(clientImportFinishedUpdate, { args: [{ importId }] });
      } catch (error) {
        throw ApplicationFailure.retryable(`the handover could not be told the import finished: ${(error as Error).name}`);
      }
    },
  };
}

export type ClientImportActivities = ReturnType<typeof createClientImportActivities>;
