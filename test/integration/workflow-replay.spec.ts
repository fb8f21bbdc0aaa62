import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixtures = join(__dirname, '..', 'fixtures', 'histories');
const histories = readdirSync(fixtures).filter((file) => file.endsWith('.binpb'));

/**
 * Recorded histories (npm run histories:record) replayed against the current workflow code:
 * a change that would break handovers still in flight fails here. release-1 histories predate
 * the go-live reminder to the outgoing provider, which patched() keeps them replaying; release-1
 * and -2 ran the workflow type `transitionWorkflow` (frozen in workflows/transition/v1), release-3
 * the command core's `transitionWorkflowV2`; release-4 adds client transfers (a handover with an
 * import, the import workflow, one client's transfer through every step to its erasure);
 * release-5 adds resident campaigns, recorded with the real activities on a service stack: every
 * run of one campaign workflow (drafted, edited, approved, e-mail pages, continued as new, a
 * letter batch rendered, handed to print, posted, completed) and its handover, whose
 * "residents informed" milestone the campaign's reports met.
 */
describe('workflow replay of recorded histories', () => {
  it('has histories of more than one release to replay', () => {
    expect(histories.filter((file) => file.startsWith('release-1-')).length).toBeGreaterThan(0);
    expect(histories.filter((file) => file.startsWith('release-2-')).length).toBeGreaterThan(0);
    expect(histories.filter((file) => file.startsWith('release-3-')).length).toBeGreaterThan(0);
    expect(histories.filter((file) => file.startsWith('release-4-client-')).length).toBe(2);
    expect(histories.filter((file) => file.startsWith('release-5-campaign-run-')).length).toBeGreaterThanOrEqual(2);
    expect(histories).toContain('release-5-provider-change-with-campaign.binpb');
  });

  it.each(histories)('replays %s without nondeterminism', async (file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(join(fixtures, file)));
    expect(history.events.length).toBeGreaterThan(10);
    await expect(
      Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), replayName: file }, history),
    ).resolves.toBeUndefined();
  });
});
