import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { ServiceStack } from '../support/service-stack';

/**
 * Requests to a workflow that does not answer end at the request's deadline (REQUEST_DEADLINE_MS,
 * 3 s here) with 503 and a message that says so, instead of waiting for Temporal as long as it
 * takes. The API runs as a child process without a worker (RUN_WORKER=false) and no worker
 * polls its task queue, so a handover workflow started there never runs a task: an update (a
 * task completion) to it waits for a worker that never comes, while its detail, read from its
 * read model, answers at once. A caller that gives up early leaves no work behind: the service
 * still answers promptly afterwards and stops cleanly.
 */

const DEADLINE_MS = 3_000;
/** Slack for a busy 2-core test machine. */
const SLACK_MS = 2_000;

describe('request deadlines: a workflow that does not answer', () => {
  let stack: ServiceStack;
  let api: ServiceProcess;
  let passed = false;
  const transitionId = `rotterdam.feijenoord.${goLiveInDays(300)}`;

  beforeAll(async () => {
    stack = await ServiceStack.start('deadline');
    api = await stack.startApi('api', { RUN_WORKER: 'false', REQUEST_DEADLINE_MS: String(DEADLINE_MS), SHUTDOWN_UNREADY_MS: '0' });
    // A handover's workflow on the service's task queue, where no worker polls: it never runs.
    await stack.temporal.client.workflow.start('transitionWorkflowV2', {
      workflowId: transitionId,
      taskQueue: stack.taskQueue,
      args: [],
    });
    // Its read-model row, as the workflow would have recorded it: coordinators may read it.
    await stack.db.admin.query(
      `INSERT INTO transition_summaries (transition_id, municipality, district, outgoing_provider, incoming_provider,
         go_live_date, template, state, created_at, updated_at, last_position)
       VALUES ($1, 'rotterdam', 'feijenoord', 'welzijn-maas', 'buurtkracht', $2, 'provider-change', 'planned', now(), now(), 0)`,
      [transitionId, transitionId.split('.')[2]],
    );
    const plan = {
      transitionId, municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht',
      goLiveDate: transitionId.split('.')[2], goLiveAt: `${transitionId.split('.')[2]}T00:00:00.000Z`, template: { code: 'provider-change', version: 3 },
    };
    await stack.db.admin.query(
      `INSERT INTO transition_details (transition_id, status, stream_version, updated_at, last_position) VALUES ($1, $2, 1, now(), 0)`,
      [transitionId, JSON.stringify({ transitionId, plan, state: 'planned', atRisk: false, goLivePlannedAt: 0, tasks: [], milestones: [], decision: null, streamVersion: 1 })],
    );
  }, 300_000);

  afterAll(async () => {
    if (!passed && stack) process.stderr.write(`\n[request-deadline] service logs:\n${stack.logTails(6_000)}\n`);
    const left = (await stack?.stop()) ?? [];
    expect(left).toEqual([]);
  }, 120_000);

  async function timed(run: () => ReturnType<ServiceStack['request']>) {
    const started = Date.now();
    const answer = await run();
    return { answer, ms: Date.now() - started };
  }

  it("a handover's detail does not wait for its workflow: it is read from the read model", async () => {
    const { answer, ms } = await timed(() => stack.request('coordinator', 'GET', `/transitions/${transitionId}`, { timeoutMs: 30_000 }));
    expect({ status: answer.status, state: answer.body?.state }).toEqual({ status: 200, state: 'planned' });
    expect(ms).toBeLessThan(DEADLINE_MS);
  });

  it('a command (a workflow update) is abandoned at the deadline with 503', async () => {
    // (Commands had a deadline before; it is now the request's.)
    const { answer, ms } = await timed(() =>
      stack.request('coordinator', 'POST', `/transitions/${transitionId}/tasks/kick-off/complete`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'nobody listens' }),
        timeoutMs: 30_000,
      }),
    );
    expect({ status: answer.status, message: answer.body?.message }).toEqual({
      status: 503,
      message: expect.stringMatching(/did not answer in time/),
    });
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  // Were their updates not cancelled, they would still wait for Temporal when the stop comes
  // (well within their 3 s deadline), and the stop would have to cancel them before the
  // Temporal connection closes (it logs how many it cancelled).
  it('twenty callers that give up after 300 ms cancel their commands: nothing is left to cancel at a stop right after', async () => {
    const gaveUp = await Promise.all(
      Array.from({ length: 20 }, () =>
        stack.request('coordinator', 'POST', `/transitions/${transitionId}/tasks/kick-off/complete`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({}),
          timeoutMs: 300,
        }),
      ),
    );
    expect(gaveUp.every((answer) => answer.status === 0)).toBe(true);
    const { answer, ms } = await timed(() => stack.request(null, 'GET', '/health/ready'));
    expect(answer.status).toBe(200);
    expect(ms).toBeLessThan(1_000);

    await api.stop(30_000);
    const output = api.fullOutput();
    expect(api.exit).toBe('0');
    expect(output).not.toMatch(/Channel has been shut down|uncaught|unhandled/i);
    expect(output).toContain('Stopped');
    expect(output).not.toContain('cancelled before the connection closed');
    passed = true;
  });
});
