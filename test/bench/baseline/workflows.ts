import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';
import { bareUpdate, updateWithActivity } from './definitions';

// The same activity options as the handover workflow's append.
const { noop } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A trivial long-running workflow (like a handover, it waits for commands until it is stopped). */
export async function bareWorkflow(): Promise<void> {
  setHandler(bareUpdate, () => 'ok');
  setHandler(updateWithActivity, async () => {
    await noop();
    return 'ok';
  });
  await condition(() => false);
}
