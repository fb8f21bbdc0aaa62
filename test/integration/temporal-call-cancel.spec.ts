import { Client, Connection, isGrpcCancelledError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { respectfulRetryInterceptor } from '../../src/temporal/grpc-retry';
import { cancelRunningTemporalCalls, trackTemporalCall } from '../../src/temporal/within-deadline';
import { startTemporalDevServer } from '../support/temporal';

/**
 * The service's Temporal client calls end when their caller stops waiting, also while the
 * client retries: on a real dev server, queries to a workflow no worker polls for (the server
 * answers several of them at once with RESOURCE_EXHAUSTED, "query buffer is full", which the
 * client retries after a back-off). With the SDK's own retry interceptor a cancel reached only
 * the first attempt, and such calls went on for seconds past their cancel or deadline.
 */
describe('Temporal calls: cancel and deadline end retries too (respectfulRetryInterceptor)', () => {
  let env: TestWorkflowEnvironment;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    env = await startTemporalDevServer();
    connection = await Connection.connect({ address: env.address, interceptors: [respectfulRetryInterceptor()] });
    client = new Client({ connection, namespace: env.namespace ?? 'default' });
    await client.workflow.start('neverRuns', { workflowId: 'no-worker', taskQueue: 'nobody-polls', args: [] });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await env?.teardown();
  });

  const query = () => client.workflow.getHandle('no-worker').query('status');

  it('six concurrent queries, cancelled after 300 ms, all end at once with CANCELLED', async () => {
    const started = Date.now();
    const ended = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        const error = await client.withAbortSignal(controller.signal, () => client.withDeadline(Date.now() + 10_000, query)).catch((e) => e);
        return { ms: Date.now() - started, cancelled: isGrpcCancelledError(error) };
      }),
    );
    expect(ended.every((call) => call.cancelled)).toBe(true);
    expect(Math.max(...ended.map((call) => call.ms))).toBeLessThan(1_500);
  });

  it('six concurrent queries with a 2 s deadline all end by it', async () => {
    const started = Date.now();
    const ended = await Promise.all(
      Array.from({ length: 6 }, () => client.withDeadline(Date.now() + 2_000, query).then(
        () => Date.now() - started,
        () => Date.now() - started,
      )),
    );
    expect(Math.max(...ended)).toBeLessThan(2_700);
  });

  it('before the connection closes, tracked calls are cancelled and have all ended', async () => {
    const calls = Array.from({ length: 6 }, () =>
      trackTemporalCall((signal) => client.withAbortSignal(signal, () => client.withDeadline(Date.now() + 30_000, query))).catch((e) => e),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    expect(await cancelRunningTemporalCalls()).toBe(6);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await Promise.all(calls)).every((error) => isGrpcCancelledError(error))).toBe(true);
  });
});
