import { condition, setHandler } from '@temporalio/workflow';
import { bareTransferUpdates } from './transfer-definitions';

/**
 * The least a client transfer can cost in Temporal: a long-running workflow (like a transfer, it
 * stays open after its last step) whose updates, one per step, do nothing and return at once.
 */
export async function bareTransferWorkflow(): Promise<void> {
  for (const update of Object.values(bareTransferUpdates)) setHandler(update, () => 'ok');
  await condition(() => false);
}
