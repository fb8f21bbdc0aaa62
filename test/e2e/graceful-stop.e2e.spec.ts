import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { goLiveInDays } from '../support/plans';
import { processesMentioning, ServiceProcess } from '../support/service-process';
import { Answer, ServiceStack } from '../support/service-stack';

/**
 * The service stopped (SIGTERM) under load, as production runs it: the API with its worker in
 * one child process (TypeScript through ts-node, workflows bundled from source), on a real
 * Temporal dev server and a database of this file's own.
 *
 * 20 handovers are created and kicked off; then 100 reads (`GET /transitions/:id` and
 * `GET /transitions`, from the read models) and 20 commands (each completes a task of a different handover)
 * are sent at once, and the process gets SIGTERM while they are in flight. Then:
 * - every request was answered, 2xx or 503: no connection reset, no 500;
 * - `/health/ready` answered 503 once the drain had begun (asked during the drain);
 * - every acknowledged command is recorded exactly once in the event store, and none twice;
 * - the process exits 0, logged its drain with requests in flight and its "Stopped" line, and
 *   wrote no uncaught error (`Channel has been shut down` among them);
 * - nothing of it is left: no process with the stack's marker, the API's port closed.
 */

const DISTRICTS = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!.districts.map((d) => d.code);
const HANDOVERS = 20;
const READS = 100;
/** Reads answered before the stop: proof the service is serving them, with most of the rest still in flight. */
const SIGNAL_AFTER_ANSWERS = 5;
/** Commands complete these tasks, which wait for nothing but the kick-off. */
const TASKS: Array<[string, 'outgoing' | 'incoming']> = [
  ['staff-agreements', 'outgoing'],
  ['location-agreements', 'incoming'],
];

const ok = (status: number) => status >= 200 && status < 300;

describe('SIGTERM under load: every request answered, acknowledged commands recorded once, a clean exit', () => {
  let stack: ServiceStack;
  let api: ServiceProcess;
  let passed = false;

  beforeAll(async () => {
    stack = await ServiceStack.start('graceful-stop');
    api = await stack.startApi('api', { SHUTDOWN_DRAIN_MS: '20000', REQUEST_DEADLINE_MS: '10000' });
  }, 300_000);

  afterAll(async () => {
    if (!passed && stack) process.stderr.write(`\n[graceful-stop] service logs:\n${stack.logTails(8_000)}\n`);
    const left = (await stack?.stop()) ?? [];
    expect(left).toEqual([]);
  }, 120_000);

  const json = (body: object) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function createKickedOff(index: number): Promise<string> {
    const district = DISTRICTS[index % DISTRICTS.length];
    const goLiveDate = goLiveInDays(120 + Math.floor(index / DISTRICTS.length));
    const created = await stack.request(
      'coordinator',
      'POST',
      '/transitions',
      json({ municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate }),
    );
    if (created.status !== 201) throw new Error(`create ${district}: ${created.status} ${created.text || created.error}`);
    const id = `rotterdam.${district}.${goLiveDate}`;
    const kickOff = await stack.request('coordinator', 'POST', `/transitions/${id}/tasks/kick-off/complete`, json({ note: 'start' }));
    if (kickOff.status !== 200) throw new Error(`kick-off ${id}: ${kickOff.status} ${kickOff.text || kickOff.error}`);
    return id;
  }

  /** Resolves once `count` of the requests have been answered (whatever the answer). */
  const firstAnswersOf = (requests: Array<Promise<Answer>>, count: number) =>
    new Promise<void>((resolve) => {
      let answered = 0;
      for (const answer of requests) void answer.then(() => ++answered === count && resolve());
    });

  const portOpen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });

  it('drains, stops the worker, closes Temporal and the database, exits 0', async () => {
    const ids: string[] = [];
    for (let i = 0; i < HANDOVERS; i += 5) ids.push(...(await Promise.all([0, 1, 2, 3, 4].map((j) => createKickedOff(i + j)))));
    expect((await stack.request(null, 'GET', '/health/ready')).status).toBe(200);

    // 20 commands, then 100 reads; SIGTERM once they have reached the server.
    const commands = ids.map((id, i) => {
      const [task, who] = TASKS[i % TASKS.length];
      return {
        id,
        task,
        answer: stack.request(who, 'POST', `/transitions/${id}/tasks/${task}/complete`, { ...json({ note: 'at the stop' }), timeoutMs: 60_000 }),
      };
    });
    const reads: Array<Promise<Answer>> = Array.from({ length: READS }, (_, i) =>
      i % 5 === 4
        ? stack.request('coordinator', 'GET', '/transitions', { timeoutMs: 60_000 })
        : stack.request('coordinator', 'GET', `/transitions/${ids[i % ids.length]}`, { timeoutMs: 60_000 }),
    );
    // SIGTERM as soon as the service answers the first reads: the rest (the commands above all,
    // each a workflow update and an append) are then still being served. A fixed wait would let
    // a fast service (reads from its cache) answer them all before the stop.
    await firstAnswersOf(reads, SIGNAL_AFTER_ANSWERS);
    const signalledAt = Date.now();
    process.kill(api.pid, 'SIGTERM');

    // During the drain: readiness goes down (503), or is refused once the listener has closed. The
    // signal and a probe sent after it may reach the busy process in either order: ask until the
    // answer is no longer 200, for up to 5 s (the drain takes longer: SHUTDOWN_UNREADY_MS is 1 s).
    let ready = await stack.request(null, 'GET', '/health/ready', { timeoutMs: 5_000 });
    for (const until = Date.now() + 5_000; ready.status === 200 && Date.now() < until; ) {
      await delay(25);
      ready = await stack.request(null, 'GET', '/health/ready', { timeoutMs: 5_000 });
    }

    const readAnswers = await Promise.all(reads);
    const commandAnswers = await Promise.all(commands.map(async (command) => ({ ...command, answer: await command.answer })));
    await api.exited;
    const stoppedAfterMs = Date.now() - signalledAt;

    const problems: string[] = [];
    // Every request answered, 2xx or 503.
    const tally = new Map<string, number>();
    for (const answer of [...readAnswers, ...commandAnswers.map((c) => c.answer)]) {
      const key = answer.status === 0 ? `no answer (${answer.error})` : String(answer.status);
      tally.set(key, (tally.get(key) ?? 0) + 1);
      if (!ok(answer.status) && answer.status !== 503) problems.push(`answer ${answer.status}: ${answer.text || answer.error}`);
    }
    if (ready.status !== 503 && ready.status !== 0) problems.push(`/health/ready during the drain: ${ready.status}`);

    // Every acknowledged command recorded once, none twice.
    const rows: Array<{ stream_id: string; task: string; n: number }> = await stack.db.admin.query(
      `SELECT stream_id, data->>'taskId' AS task, count(*)::int AS n FROM events
        WHERE type = 'TaskCompleted' AND data->>'taskId' = ANY($1) GROUP BY 1, 2`,
      [TASKS.map(([task]) => task)],
    );
    const recorded = new Map(rows.map((row) => [`${row.stream_id}|${row.task}`, row.n]));
    let acknowledged = 0;
    for (const { id, task, answer } of commandAnswers) {
      const n = recorded.get(`${id}|${task}`) ?? 0;
      if (ok(answer.status)) {
        acknowledged += 1;
        if (n !== 1) problems.push(`${task} of ${id}: acknowledged, recorded ${n} times`);
      } else if (n > 1) problems.push(`${task} of ${id}: recorded ${n} times`);
    }

    if (acknowledged === 0) problems.push('no command was acknowledged: nothing shows that in-flight commands finish');

    // A clean exit.
    const output = api.fullOutput();
    if (api.exit !== '0') problems.push(`exit ${api.exit}`);
    for (const bad of [/Channel has been shut down/, /uncaught/i, /unhandled/i, /Connection terminated/, /Driver not Connected/]) {
      if (bad.test(output)) problems.push(`output holds ${bad}: ${output.split('\n').find((line) => bad.test(line))?.slice(0, 300)}`);
    }
    for (const expected of ['Draining HTTP', 'HTTP drained in', 'Temporal worker stopped', 'Stopped']) {
      if (!output.includes(expected)) problems.push(`output lacks "${expected}"`);
    }
    const drained = /HTTP drained in (\d+) ms \((\d+) request\(s\) were in flight at the stop/.exec(output);
    if (!drained || Number(drained[2]) === 0) problems.push(`no request was in flight at the stop: ${drained?.[0]}`);
    // Nothing left: no process of the service, the port closed.
    const left = processesMentioning(stack.marker);
    if (left.length > 0) problems.push(`processes left: ${left.join(', ')}`);
    if (await portOpen(stack.apiPort)) problems.push(`port ${stack.apiPort} still open`);

    process.stdout.write(
      `[graceful-stop] answers: ${[...tally].map(([k, n]) => `${n} × ${k}`).join(', ')}; ` +
        `reads ${readAnswers.filter((a) => ok(a.status)).length}/${READS} 2xx; ${acknowledged}/${commands.length} commands acknowledged; ` +
        `ready during drain: ${ready.status}; ${drained?.[0]}; exited ${api.exit} ${stoppedAfterMs} ms after SIGTERM\n`,
    );
    expect(problems).toEqual([]);
    passed = true;
  }, 300_000);
});
