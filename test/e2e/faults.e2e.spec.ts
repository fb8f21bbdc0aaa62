import { ConfigService } from '@nestjs/config';
import { WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { dataSourceOptions } from '../../src/database/data-source';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { TemporalDevServer } from '../../src/devstack/temporal-dev-server';
import { Mailer } from '../../src/notifications/mailer.service';
import { createActivities } from '../../src/temporal/activities';
import { addDays, amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import { planTransition } from '../../src/transitions/plan-transition';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { alarmsFor } from '../../workflows/transition/alarms';
import {
  cancelUpdate,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { createTestUser, seedOrganisations, TestUser } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { goLiveInDays, PROVIDER_CHANGE } from '../support/plans';
import { freePort, processesMentioning, ServiceProcess } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';
import { startTimeSkippingServer } from '../support/temporal';

/**
 * Faults under load, against the service as it runs in production: an API process without a
 * worker (RUN_WORKER=false) and separate worker processes, all real child processes (the
 * TypeScript through ts-node, workflows bundled from source), on a real PostgreSQL (this file's
 * own database, reached through TCP proxies that can make it unreachable) and a real Temporal
 * dev server (started here on fixed ports and a SQLite file, so that it can be stopped and
 * started again on the same data).
 *
 * Every scenario ends with the same invariants over every handover of the file:
 * - every acknowledged (2xx) command is recorded exactly once, and none twice; after the
 *   un-acknowledged ones are sent again, every command is recorded exactly once (nothing lost);
 * - no event of one command is stored twice, and every stream's versions run 1..n;
 * - `GET /audit/verify` reports the chains intact;
 * - the handover's detail (`GET /transitions/:id`, the transition_details read model) equals the other read models
 *   (transition_summaries: state, at_risk, go_live_date; transition_tasks: each task's status)
 *   and its stream version equals the number of stored events.
 *
 * Findings are collected and asserted at the end of each scenario, so a failing scenario still
 * reports every number and every problem it saw. Child processes log to the folder named in a
 * failure message (kept when a scenario fails).
 */

const MARKER = `overdracht-faults-${randomBytes(4).toString('hex')}`;
const workDir = join(tmpdir(), MARKER);
/** The API's deadline is 10 s; an answer later than this is a hang (3 s of slack for a busy test machine). */
const ANSWER_WITHIN_MS = 13_000;
/** A request with no answer after this long is abandoned and reported as a hang. */
const GIVE_UP_MS = 30_000;

const DISTRICTS = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!.districts.map((d) => d.code);
/** Each scenario plans its handovers on a go-live date of its own, so their ids never meet. */
const GO_LIVE = {
  postgres: goLiveInDays(200),
  temporal: goLiveInDays(201),
  kill: goLiveInDays(202),
  scale: goLiveInDays(203),
};

type Who = 'coordinator' | 'outgoing' | 'incoming';
type Kind = 'create' | 'task' | 'sign-off';

interface Outcome {
  status: number;
  message: string;
  startedAt: number;
  endedAt: number;
}

interface Command {
  scenario: string;
  kind: Kind;
  transitionId: string;
  /** Task or milestone id; empty for a create. */
  target: string;
  who: Who;
  path: string;
  body: object;
  outcomes: Outcome[];
}

/** The event a command records, and the 409 that says it was recorded before. */
const EVENT_OF: Record<Kind, string> = { create: 'TransitionPlanned', task: 'TaskCompleted', 'sign-off': 'MilestoneSignedOff' };
const DONE_ALREADY: Record<Kind, string> = {
  create: 'this handover exists already',
  task: 'the task is done already',
  'sign-off': 'the milestone is met already',
};

/** After the kick-off: the providers' tasks that wait for nothing else, then sign-offs of milestones no task of ours meets. */
const PROVIDER_TASKS: Array<[string, Who]> = [
  ['staff-agreements', 'outgoing'],
  ['location-agreements', 'incoming'],
  ['client-list', 'outgoing'],
  ['residents-informed-incoming', 'incoming'],
  ['partners-introduced', 'outgoing'],
  ['residents-informed-outgoing', 'outgoing'],
];
const SIGN_OFFS = ['clients-transferred', 'locations-handed-over', 'go-decision', 'evaluated'];

const ok = (status: number) => status >= 200 && status < 300;
const first = (command: Command) => command.outcomes[0];
const acknowledged = (command: Command) => command.outcomes.some((outcome) => ok(outcome.status));
const label = (command: Command) =>
  `${command.kind} ${command.target ? `${command.target} of ` : ''}${command.transitionId}`;
const keyOf = (stream: string, type: string, target: string) => `${stream}|${type}|${target}`;
const commandKey = (command: Command) => keyOf(command.transitionId, EVENT_OF[command.kind], command.target);
const latency = (outcome: Outcome) => outcome.endedAt - outcome.startedAt;

function interleave<T>(lists: T[][]): T[] {
  const result: T[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++) {
    for (const list of lists) if (i < list.length) result.push(list[i]);
  }
  return result;
}

/** Runs `task` over `items`, `limit` at a time. */
async function inParallel<T>(items: T[], task: (item: T) => Promise<void>, limit = 6): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

/** Puts `extra` at even intervals into `list`. */
function spread<T>(list: T[], extra: T[]): T[] {
  const result = [...list];
  extra.forEach((item, i) => result.splice(Math.floor(((i + 1) * result.length) / (extra.length + 1)), 0, item));
  return result;
}

describe('faults under load (API and workers as child processes, real PostgreSQL and Temporal dev server)', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  /** PostgreSQL as the API process reaches it, and as the worker processes do. */
  let apiPostgres: TcpProxy;
  let workerPostgres: TcpProxy;
  let temporal: TemporalDevServer;
  let temporalPort: number;
  let temporalUiPort: number;
  let apiPort: number;
  let api: ServiceProcess;
  const workers: ServiceProcess[] = [];
  let workersStarted = 0;
  const payloadKey = randomBytes(32).toString('base64');
  const clientDataKey = randomBytes(32).toString('base64');
  const users = {} as Record<Who, TestUser>;
  /** Every command sent in this file, with every answer it got. */
  const ledger: Command[] = [];
  let scenariosPassed = 0;

  const startTemporal = () =>
    TemporalDevServer.startOrReuse({
      cli: process.env.TEMPORAL_CLI!,
      port: temporalPort,
      uiPort: temporalUiPort,
      dbFile: join(workDir, 'temporal.sqlite'),
      namespace: 'default',
      searchAttributes: SEARCH_ATTRIBUTES.map(
        (key) => `${key.name}=${key.type === 'DATETIME' ? 'Datetime' : 'Keyword'}`,
      ),
      log: () => undefined,
    });

  /** The service's DATABASE_URL: this file's database, through one of the proxies. */
  function viaProxy(proxy: TcpProxy): string {
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return url.toString();
  }

  function serviceEnv(proxy: TcpProxy): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: viaProxy(proxy),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: `faults-${MARKER}`,
      PAYLOAD_ENCRYPTION_KEY: payloadKey,
      CLIENT_DATA_MASTER_KEY: clientDataKey,
      SMTP_URL: sink.url,
      DEMO_DATA: 'false',
      PORT: String(apiPort),
      RUN_WORKER: 'false',
      LOG_LEVEL: 'info',
    };
  }

  function startWorker(): Promise<ServiceProcess> {
    workersStarted += 1;
    return ServiceProcess.start({
      name: `worker-${workersStarted}`,
      script: 'src/worker.ts',
      env: serviceEnv(workerPostgres),
      marker: MARKER,
      logDir: workDir,
      readyWhen: 'Temporal worker polling task queue',
    }).then((worker) => {
      workers.push(worker);
      return worker;
    });
  }

  /** Exactly `count` workers running: extra ones stopped in order, missing ones started. */
  async function ensureWorkers(count: number): Promise<ServiceProcess[]> {
    let alive = workers.filter((worker) => worker.running);
    while (alive.length > count) {
      await alive[0].stop();
      alive = alive.slice(1);
    }
    const started = await Promise.all(Array.from({ length: count - alive.length }, () => startWorker()));
    return [...alive, ...started];
  }

  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    [temporalPort, temporalUiPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    [db, sink, temporal] = await Promise.all([createTestDatabase(), SmtpSink.start(0), startTemporal()]);
    await seedOrganisations(db.admin);
    users.coordinator = await createTestUser(db.app, 'coordinator', 'rotterdam');
    users.outgoing = await createTestUser(db.app, 'provider', 'welzijn-maas');
    users.incoming = await createTestUser(db.app, 'provider', 'buurtkracht');
    const server = new URL(db.url);
    const target = { host: server.hostname, port: Number(server.port || 5432) };
    [apiPostgres, workerPostgres] = await Promise.all([TcpProxy.start(target), TcpProxy.start(target)]);
    await Promise.all([
      ServiceProcess.start({
        name: 'api',
        script: 'src/main.ts',
        env: serviceEnv(apiPostgres),
        marker: MARKER,
        logDir: workDir,
        readyWhen: 'Overdracht is running',
      }).then((started) => (api = started)),
      startWorker(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([api, ...workers].filter(Boolean).map((service) => service.stop(5_000)));
    await temporal?.stop().catch(() => undefined);
    await Promise.allSettled([apiPostgres?.stop(), workerPostgres?.stop(), sink?.stop()]);
    await db?.drop();
    const left = processesMentioning(MARKER);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    if (scenariosPassed === 4) rmSync(workDir, { recursive: true, force: true });
    expect(left).toEqual([]); // no orphans: every process this file started has ended
  }, 60_000);

  // ---- commands over HTTP -------------------------------------------------------------------

  const url = (path: string) => `http://127.0.0.1:${apiPort}${path}`;

  async function send(command: Command): Promise<Outcome> {
    const startedAt = Date.now();
    let status = 0;
    let message = '';
    try {
      const response = await fetch(url(command.path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${users[command.who].token}` },
        body: JSON.stringify(command.body),
        signal: AbortSignal.timeout(GIVE_UP_MS),
      });
      status = response.status;
      const text = await response.text();
      try {
        const parsed = JSON.parse(text) as { message?: unknown };
        message = ok(status) ? '' : Array.isArray(parsed.message) ? parsed.message.join('; ') : String(parsed.message ?? text);
      } catch {
        message = text.slice(0, 200);
      }
    } catch (error) {
      message = `no answer: ${(error as Error).message}`;
    }
    const outcome = { status, message, startedAt, endedAt: Date.now() };
    command.outcomes.push(outcome);
    return outcome;
  }

  /** A read as the coordinator; a 503 (PostgreSQL away) is tried again for up to 30 s. */
  async function get(path: string): Promise<{ status: number; body: any }> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await fetch(url(path), {
        headers: { authorization: `Bearer ${users.coordinator.token}` },
        signal: AbortSignal.timeout(GIVE_UP_MS),
      });
      const body = await response.json().catch(() => undefined);
      if (response.status !== 503 || Date.now() > deadline) return { status: response.status, body };
      await delay(1_000);
    }
  }

  function command(scenario: string, kind: Kind, transitionId: string, target: string, who: Who): Command {
    const path =
      kind === 'create'
        ? '/transitions'
        : kind === 'task'
          ? `/transitions/${transitionId}/tasks/${target}/complete`
          : `/transitions/${transitionId}/milestones/${target}/sign-off`;
    const [municipality, district, goLiveDate] = transitionId.split('.');
    const body =
      kind === 'create'
        ? { municipality, district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate }
        : { note: `${scenario} ${kind} ${target}` };
    const made: Command = { scenario, kind, transitionId, target, who, path, body, outcomes: [] };
    ledger.push(made);
    return made;
  }

  const create = (scenario: string, district: string, goLiveDate: string) =>
    command(scenario, 'create', `rotterdam.${district}.${goLiveDate}`, '', 'coordinator');

  /** Ten commands for a handover whose kick-off is done: its providers' six tasks and four sign-offs. */
  const work = (scenario: string, transitionId: string) => [
    ...PROVIDER_TASKS.map(([task, who]) => command(scenario, 'task', transitionId, task, who)),
    ...SIGN_OFFS.map((milestone) => command(scenario, 'sign-off', transitionId, milestone, 'coordinator')),
  ];

  /** Handovers created and kicked off before the fault; nothing may fail here. */
  async function prepare(scenario: string, districts: string[], goLiveDate: string): Promise<string[]> {
    return Promise.all(
      districts.map(async (district) => {
        const created = create(scenario, district, goLiveDate);
        const planned = await send(created);
        if (planned.status !== 201) throw new Error(`${label(created)}: ${planned.status} ${planned.message}`);
        const kickOff = command(scenario, 'task', created.transitionId, 'kick-off', 'coordinator');
        const done = await send(kickOff);
        if (done.status !== 200) throw new Error(`${label(kickOff)}: ${done.status} ${done.message}`);
        return created.transitionId;
      }),
    );
  }

  /** Sends each command `intervalMs` after the previous one, without waiting for answers (open loop). */
  async function openLoop(commands: Command[], intervalMs: number): Promise<void> {
    const answers: Array<Promise<Outcome>> = [];
    for (const next of commands) {
      answers.push(send(next));
      await delay(intervalMs);
    }
    await Promise.all(answers);
  }

  // ---- what every scenario checks -------------------------------------------------------------

  /** How many times each command's event is stored, by stream, type and task or milestone. */
  async function recordedCounts(): Promise<Map<string, number>> {
    const rows: Array<{ stream_id: string; type: string; target: string; n: number }> = await db.admin.query(
      `SELECT stream_id, type, coalesce(data->>'taskId', data->>'milestoneId', '') AS target, count(*)::int AS n
       FROM events WHERE type IN ('TransitionPlanned', 'TaskCompleted', 'MilestoneSignedOff') GROUP BY 1, 2, 3`,
    );
    return new Map(rows.map((row) => [keyOf(row.stream_id, row.type, row.target), row.n]));
  }

  /** Every first answer is 2xx or 503, within the deadline: no 500, no hang. */
  function checkAnswers(commands: Command[], problems: string[]): void {
    for (const sent of commands) {
      const answer = first(sent);
      if (!ok(answer.status) && answer.status !== 503) {
        problems.push(`${label(sent)}: answered ${answer.status} (${answer.message}) after ${latency(answer)} ms, expected 2xx or 503`);
      } else if (latency(answer) > ANSWER_WITHIN_MS) {
        problems.push(`${label(sent)}: answered ${answer.status} only after ${latency(answer)} ms`);
      }
    }
  }

  /**
   * Commands refused while the fault was in full effect (sent after it began) changed nothing: no
   * event, and the handover's detail (folded from its events) shows the task open or the milestone not signed off.
   */
  async function checkNothingApplied(refused: Command[], problems: string[]): Promise<void> {
    const counts = await recordedCounts();
    await inParallel(refused, async (sent) => {
      const recorded = counts.get(commandKey(sent)) ?? 0;
      if (recorded > 0) problems.push(`${label(sent)}: answered ${first(sent).status} but recorded ${recorded} time(s)`);
      if (sent.kind === 'create') return;
      const detail = await get(`/transitions/${sent.transitionId}`);
      if (detail.status !== 200) {
        problems.push(`GET ${sent.transitionId}: ${detail.status}`);
        return;
      }
      const applied =
        sent.kind === 'task'
          ? detail.body.tasks.find((t: { id: string }) => t.id === sent.target)?.status === 'done'
          : detail.body.milestones.find((m: { id: string }) => m.id === sent.target)?.signedOffBy !== null;
      if (applied) problems.push(`${label(sent)}: answered ${first(sent).status} but its detail shows it applied`);
    });
  }

  /**
   * Sends every command without a 2xx again (after a 503 again a second later, within
   * `budgetMs`): it must be done now (2xx) or have been done before (409 "done already").
   */
  async function resendUnacknowledged(commands: Command[], problems: string[], budgetMs: number): Promise<void> {
    const deadline = Date.now() + budgetMs;
    await Promise.all(
      commands
        .filter((sent) => !acknowledged(sent))
        .map(async (sent) => {
          for (;;) {
            const again = await send(sent);
            const done = ok(again.status) || (again.status === 409 && again.message.includes(DONE_ALREADY[sent.kind]));
            if (!done && again.status !== 503) {
              problems.push(`${label(sent)} sent again: ${again.status} (${again.message}), expected 2xx, 409 done already or 503`);
            }
            // 503 (and a 500, reported above) means "not now": try again, as a caller would.
            if (!done && again.status >= 500 && Date.now() < deadline) {
              await delay(1_000);
              continue;
            }
            if (!done && again.status === 503) problems.push(`${label(sent)}: still 503 after ${budgetMs / 1000} s of sending it again`);
            return;
          }
        }),
    );
  }

  /** How many of `commands` are recorded exactly once. */
  async function recordedOnce(commands: Command[]): Promise<number> {
    const counts = await recordedCounts();
    return commands.filter((sent) => counts.get(commandKey(sent)) === 1).length;
  }

  async function checkInvariants(problems: string[]): Promise<void> {
    const counts = await recordedCounts();
    for (const sent of ledger) {
      const recorded = counts.get(commandKey(sent)) ?? 0;
      if (recorded !== 1) {
        problems.push(`${label(sent)} (${sent.outcomes.map((o) => o.status).join(', ')}): recorded ${recorded} times, expected once`);
      }
    }
    const doubles: Array<{ stream_id: string; type: string; data: string; n: number }> = await db.admin.query(
      `SELECT stream_id, type, data::text AS data, count(*)::int AS n FROM events
       WHERE type <> 'NotificationSent' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    for (const row of doubles) problems.push(`${row.stream_id}: ${row.type} ${row.data} stored ${row.n} times`);
    const streams: Array<{ stream_id: string; n: number; last: number }> = await db.admin.query(
      'SELECT stream_id, count(*)::int AS n, max(stream_version)::int AS last FROM events GROUP BY 1 ORDER BY 1',
    );
    for (const stream of streams.filter((s) => s.n !== s.last)) {
      problems.push(`${stream.stream_id}: ${stream.n} events up to version ${stream.last}`);
    }

    const verify = await get('/audit/verify');
    if (verify.status !== 200 || verify.body?.intact !== true) {
      problems.push(`GET /audit/verify: ${verify.status} ${JSON.stringify(verify.body)}`);
    }

    await inParallel(streams, async ({ stream_id: id, n }) => {
      const detail = await get(`/transitions/${id}`);
      if (detail.status !== 200) {
        problems.push(`GET /transitions/${id}: ${detail.status} ${JSON.stringify(detail.body)}`);
        return;
      }
      const [summary] = await db.admin.query(
        `SELECT state, at_risk, to_char(go_live_date, 'YYYY-MM-DD') AS go_live_date FROM transition_summaries WHERE transition_id = $1`,
        [id],
      );
      const tasks: Array<{ task_id: string; status: string }> = await db.admin.query(
        'SELECT task_id, status FROM transition_tasks WHERE transition_id = $1 ORDER BY task_id',
        [id],
      );
      const workflow = detail.body as {
        state: string;
        atRisk: boolean;
        plan: { goLiveDate: string };
        streamVersion: number;
        tasks: Array<{ id: string; status: string }>;
      };
      const seen = {
        summary: { state: workflow.state, at_risk: workflow.atRisk, go_live_date: workflow.plan.goLiveDate },
        tasks: workflow.tasks.map((t) => ({ task_id: t.id, status: t.status })).sort((a, b) => a.task_id.localeCompare(b.task_id)),
        streamVersion: workflow.streamVersion,
      };
      const stored = { summary, tasks, streamVersion: n };
      if (JSON.stringify(seen) !== JSON.stringify(stored)) {
        problems.push(`${id}: its detail has ${JSON.stringify(seen)}, the other read models and events ${JSON.stringify(stored)}`);
      }
    });
  }

  let scenarioStartedAt = 0;
  beforeEach(() => {
    scenarioStartedAt = Date.now();
  });

  function report(scenario: string, commands: Command[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    const firsts = commands.map(first);
    const statuses: Record<string, number> = {};
    for (const answer of firsts) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const resent = commands.filter((c) => c.outcomes.length > 1);
    const lastOf = (c: Command) => c.outcomes[c.outcomes.length - 1];
    const numbers = {
      sent: commands.length,
      acknowledgedFirstTime: firsts.filter((a) => ok(a.status)).length,
      firstAnswers: statuses,
      slowestFirstAnswerMs: Math.max(...firsts.map(latency)),
      sentAgain: resent.length,
      sentAgainDoneNow: resent.filter((c) => ok(lastOf(c).status)).length,
      sentAgainDoneAlready: resent.filter((c) => lastOf(c).status === 409).length,
      ...extra,
      scenarioMs: Date.now() - scenarioStartedAt,
    };
    process.stdout.write(`\n[faults] ${scenario}: ${JSON.stringify(numbers)}\n`);
    return numbers;
  }

  function finish(problems: string[]): void {
    if (problems.length > 0) problems.push(`(service logs in ${workDir})`);
    expect(problems).toEqual([]);
    scenariosPassed += 1;
  }

  // ---- the scenarios ----------------------------------------------------------------------------

  /*
   * Timers: every handover here waits on durable timers (its next reminder, escalation and the
   * go-live gate), but none can come due within this test on a real dev server: reminders and
   * escalations fall at 09:00 Europe/Amsterdam on business days, the gate at the start of a
   * go-live date that must lie after today, and the dev server's clock cannot be moved. Alarms
   * that come due while PostgreSQL is unreachable are covered at the end of this file, on the
   * time-skipping test server with the same proxy; reminders, escalations and the gate as such
   * in test/integration/transition-workflow.spec.ts.
   */
  it('PostgreSQL unreachable for 20 s under load: 503 within the deadline, nothing applied, nothing lost or doubled after', async () => {
    const problems: string[] = [];
    const ids = await prepare('postgres', DISTRICTS.slice(0, 7), GO_LIVE.postgres);
    const creates = DISTRICTS.slice(7, 10).map((district) => create('postgres', district, GO_LIVE.postgres));
    const load = spread(interleave(ids.map((id) => work('postgres', id))), creates);

    // First the workers lose PostgreSQL (commands reach their workflows, whose appends cannot be
    // stored), then the API loses it too: 20 s in which nothing reaches PostgreSQL at all.
    const t = { workersCut: 0, allCut: 0, restored: 0 };
    const running = openLoop(load, 450);
    await delay(3_000);
    workerPostgres.cut();
    t.workersCut = Date.now();
    await delay(5_000);
    apiPostgres.cut();
    t.allCut = Date.now();
    await delay(20_000);
    apiPostgres.restore();
    workerPostgres.restore();
    t.restored = Date.now();
    await running;

    // With PostgreSQL out of reach for the API as well, the token lookup fails too: 503, never 500.
    checkAnswers(load, problems);
    const duringOutage = load.filter((c) => first(c).startedAt >= t.workersCut && first(c).endedAt <= t.restored);
    for (const sent of duringOutage.filter((c) => ok(first(c).status))) {
      problems.push(`${label(sent)}: acknowledged while PostgreSQL was unreachable to the workers`);
    }
    const refusedInOutage = load.filter((c) => first(c).startedAt >= t.workersCut && !ok(first(c).status));
    await checkNothingApplied(refusedInOutage, problems);
    const afterwards = load.filter((c) => first(c).startedAt >= t.restored + 3_000);
    for (const sent of afterwards.filter((c) => !ok(first(c).status))) {
      problems.push(`${label(sent)}: ${first(sent).status} (${first(sent).message}) 3 s or more after PostgreSQL came back`);
    }
    if (afterwards.length === 0) problems.push('no command was sent 3 s or more after PostgreSQL came back');

    await resendUnacknowledged(load, problems, 30_000);
    // Nothing of the outage was applied, so sending it again does it now (not "done already").
    for (const sent of refusedInOutage.filter((c) => !ok(c.outcomes[c.outcomes.length - 1].status))) {
      const last = sent.outcomes[sent.outcomes.length - 1];
      problems.push(`${label(sent)}: refused in the outage, sent again: ${last.status} (${last.message}), expected 2xx`);
    }
    await checkInvariants(problems);
    report('PostgreSQL unreachable', load, {
      sentWhileUnreachable: load.filter((c) => first(c).startedAt >= t.workersCut && first(c).startedAt < t.restored).length,
      refusedWhileUnreachable: refusedInOutage.length,
      answered503WhileUnreachable: refusedInOutage.filter((c) => first(c).status === 503).length,
      sentAfterRestore: load.filter((c) => first(c).startedAt >= t.restored).length,
      connectionsCut: apiPostgres.cutConnections + workerPostgres.cutConnections,
      connectionsRefused: apiPostgres.refused + workerPostgres.refused,
      recordedOnceInTheEnd: await recordedOnce(load),
    });
    finish(problems);
  }, 150_000);

  it('the Temporal server restarted mid-load: 503 or done during the outage, the service reconnects by itself', async () => {
    const problems: string[] = [];
    const ids = await prepare('temporal', DISTRICTS.slice(0, 7), GO_LIVE.temporal);
    const creates = DISTRICTS.slice(7, 9).map((district) => create('temporal', district, GO_LIVE.temporal));
    const load = spread(interleave(ids.map((id) => work('temporal', id))), creates);

    // Stopped (SIGTERM, as a restart does) 3 s into the load, down for 10 s, started again on the
    // same port and SQLite file; the load goes on throughout, 72 commands over about 29 s.
    const t = { stopping: 0, stopped: 0, starting: 0, started: 0 };
    const running = openLoop(load, 400);
    await delay(3_000);
    t.stopping = Date.now();
    await temporal.stop();
    t.stopped = Date.now();
    await delay(10_000);
    t.starting = Date.now();
    temporal = await startTemporal();
    t.started = Date.now();
    await running;

    // While Temporal is out of reach, 503s come within the deadline, although the client's gRPC
    // retry sleeps up to 5 s between attempts without looking at it (an outage of 10 s shows it).
    checkAnswers(load, problems);
    // A create sent while Temporal is down gets 503 and is not recorded when its workflow runs
    // after the restart: its registration is bounded from the request (TransitionStart.notAfter).
    const whileDown = load.filter((c) => first(c).startedAt >= t.stopped && first(c).startedAt < t.starting);
    await checkNothingApplied(
      whileDown.filter((c) => !ok(first(c).status)),
      problems,
    );
    const successesAfter = load.filter((c) => first(c).startedAt >= t.started && ok(first(c).status));
    const firstSuccessAfter = Math.min(...successesAfter.map((c) => first(c).endedAt));
    // The API's client and the worker find the server again by themselves (within seconds).
    const afterwards = load.filter((c) => first(c).startedAt >= t.started + 8_000);
    for (const sent of afterwards.filter((c) => !ok(first(c).status))) {
      problems.push(`${label(sent)}: ${first(sent).status} (${first(sent).message}) 8 s or more after Temporal came back`);
    }
    if (afterwards.length < 3) problems.push(`only ${afterwards.length} commands were sent 8 s or more after Temporal came back`);

    await resendUnacknowledged(load, problems, 30_000);
    await checkInvariants(problems);
    report('Temporal restarted', load, {
      downMs: t.started - t.stopping,
      sentWhileDown: whileDown.length,
      answered503WhileDown: whileDown.filter((c) => first(c).status === 503).length,
      firstSuccessAfterRestartMs: Number.isFinite(firstSuccessAfter) ? firstSuccessAfter - t.started : null,
      sentFrom8sAfterRestart: afterwards.length,
      recordedOnceInTheEnd: await recordedOnce(load),
    });
    finish(problems);
  }, 120_000);

  it('the worker killed with kill -9 during 50 in-flight commands: each recorded once or not at all, a new worker takes over', async () => {
    const problems: string[] = [];
    const [victim] = await ensureWorkers(1);
    const ids = await prepare('kill', DISTRICTS.slice(0, 10), GO_LIVE.kill);
    const load = interleave(ids.map((id) => PROVIDER_TASKS.slice(0, 5).map(([task, who]) => command('kill', 'task', id, task, who))));
    expect(load).toHaveLength(50);

    // All 50 at once; the worker dies once the first few are answered (or after 5 s), with most
    // of them queued in their handovers' workflows or half-way through an append.
    const answers = load.map((sent) => send(sent));
    const killBy = Date.now() + 5_000;
    while (load.filter((c) => c.outcomes.length > 0).length < 5 && Date.now() < killBy) await delay(10);
    victim.kill9();
    const killedAt = Date.now();
    const inFlightAtKill = load.filter((c) => c.outcomes.length === 0).length;
    const replacement = startWorker();
    // And ten more while no worker runs at all (the new one is still starting).
    const withoutWorker = ids.map((id) => command('kill', 'task', id, PROVIDER_TASKS[5][0], PROVIDER_TASKS[5][1]));
    const moreAnswers = withoutWorker.map((sent) => send(sent));
    await Promise.all([...answers, ...moreAnswers]);
    await victim.exited;
    await replacement;

    // An update call cancelled at the deadline (gRPC CANCELLED) is a 503, not a 500.
    const all = [...load, ...withoutWorker];
    checkAnswers(all, problems);
    await resendUnacknowledged(all, problems, 60_000);
    await checkInvariants(problems);
    const unacknowledged = load.filter((c) => !ok(first(c).status));
    const lastOf = (c: Command) => c.outcomes[c.outcomes.length - 1];
    report('worker killed', load, {
      inFlightAtKill,
      acknowledgedBeforeKill: load.filter((c) => ok(first(c).status) && first(c).endedAt <= killedAt).length,
      acknowledgedAfterKill: load.filter((c) => ok(first(c).status) && first(c).endedAt > killedAt).length,
      unacknowledged: unacknowledged.length,
      unacknowledgedButRecorded: unacknowledged.filter((c) => lastOf(c).status === 409).length,
      unacknowledgedNotRecorded: unacknowledged.filter((c) => ok(lastOf(c).status)).length,
      recordedOnceInTheEnd: await recordedOnce(load),
      sentWithoutWorker: withoutWorker.length,
      firstAnswersWithoutWorker: withoutWorker.map((c) => `${first(c).status} after ${latency(first(c))} ms`),
      victimExit: victim.exit,
    });
    finish(problems);
  }, 150_000);

  it('scale-out: the API beside two workers, one killed with kill -9 mid-load, the load goes on on the other', async () => {
    const problems: string[] = [];
    // The second worker starts while the handovers are prepared on the first.
    await ensureWorkers(1);
    const [[victim, survivor], ids] = await Promise.all([
      ensureWorkers(2),
      prepare('scale', DISTRICTS.slice(0, 6), GO_LIVE.scale),
    ]);
    const creates = DISTRICTS.slice(6, 9).map((district) => create('scale', district, GO_LIVE.scale));
    const load = spread(interleave(ids.map((id) => work('scale', id))), creates);

    const running = openLoop(load, 350);
    await delay(4_000);
    victim.kill9();
    const killedAt = Date.now();
    await running;

    // As in the previous test: an update call cancelled at the deadline is a 503, not a 500.
    checkAnswers(load, problems);
    // The load goes on on the other worker: commands sent after the kill are acknowledged again.
    // (How soon depends on the machine: the survivor first replays every handover the victim
    // held, after Temporal's sticky-queue timeout; so this asks for some, not for all.)
    const afterwards = load.filter((c) => first(c).startedAt >= killedAt + 15_000);
    if (!afterwards.some((c) => ok(first(c).status))) {
      problems.push(`none of the ${afterwards.length} commands sent 15 s or more after the kill was acknowledged`);
    }
    if (!survivor.running) problems.push(`the surviving worker ended (${survivor.exit})`);

    await resendUnacknowledged(load, problems, 60_000);
    await checkInvariants(problems);
    report('scale-out, one worker killed', load, {
      acknowledgedAfterKill: load.filter((c) => ok(first(c).status) && first(c).startedAt > killedAt).length,
      answered503: load.filter((c) => first(c).status === 503).length,
      sentFrom15sAfterKill: afterwards.length,
      acknowledgedFrom15sAfterKill: afterwards.filter((c) => ok(first(c).status)).length,
      recordedOnceInTheEnd: await recordedOnce(load),
      handovers: new Set(ledger.map((c) => c.transitionId)).size,
      commandsInFile: ledger.length,
    });
    finish(problems);
  }, 150_000);
});

/**
 * Timers while PostgreSQL is out of reach. No alarm can come due within a test on the real dev
 * server (above), so here a handover's workflow runs on the time-skipping test server, with its
 * real activities in a worker in this process, on a database of its own reached through a
 * TcpProxy, and a real SMTP sink. The store is made unreachable from just before an alarm until
 * after it: the alarm must come through once the store is back, recorded once, the handover
 * still running.
 */
describe('alarms that come due while PostgreSQL is unreachable (time-skipping server, real PostgreSQL behind a proxy)', () => {
  const taskQueue = `faults-timers-${MARKER}`;
  const MINUTE = 60_000;
  const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
  const coordinator = { user: 'coordinator-1', organisation: 'rotterdam', role: 'coordinator' };
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let proxy: TcpProxy;
  let dataSource: DataSource;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    const server = new URL(db.url);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    dataSource = await new DataSource(dataSourceOptions(url.toString(), { asAppRole: true })).initialize();
    const mailer = new Mailer(new ConfigService({ SMTP_URL: sink.url, MAIL_FROM: 'Overdracht <test@overdracht.invalid>' }));
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ eventStore: eventStoreFor(dataSource), dataSource, mailer, temporal: env.client, erasureLogFile: join(tmpdir(), `erasures-${randomUUID()}.log`), taskQueue }),
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await env?.teardown();
    await proxy?.stop();
    await dataSource?.destroy().catch(() => undefined);
    await sink?.stop();
    await db?.drop();
  });

  const sleepUntil = async (at: number) => env.sleep(Math.max(1, at - (await env.currentTimeMs())));

  /** Starts a handover with go-live 200 days ahead of the server's clock; returns it and its first alarm. */
  async function startHandover(district: string) {
    const goLiveDate = addDays(amsterdamDate(await env.currentTimeMs()), 200);
    const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
    const input = planTransition(request, PROVIDER_CHANGE, policy, coordinator, randomUUID());
    const status = await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
        workflowId: input.plan.transitionId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    const [alarm] = alarmsFor(status, policy, new BusinessCalendar(input.holidays));
    const recipient = status.tasks.find((task) => task.id === alarm.taskId)?.assignee;
    const handle = env.client.workflow.getHandle<typeof transitionWorkflowV2>(input.plan.transitionId);
    return { handle, transitionId: input.plan.transitionId, alarm, notificationId: `${input.plan.transitionId}:${alarm.key}:${recipient}` };
  }

  /** The alarm's notification is in the inbox, mailed and recorded exactly once; the workflow runs and agrees with the store. */
  async function expectDeliveredOnce(handle: WorkflowHandle<typeof transitionWorkflowV2>, transitionId: string, notificationId: string) {
    expect({ transitionId, workflow: (await handle.describe()).status.name }).toEqual({ transitionId, workflow: 'RUNNING' });
    await eventually(async () => {
      const [{ n }] = await db.admin.query(
        `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'NotificationSent' AND data->>'notificationId' = $2`,
        [transitionId, notificationId],
      );
      expect(n).toBe(1);
    });
    expect(await db.admin.query('SELECT kind FROM notifications WHERE id = $1', [notificationId])).toHaveLength(1);
    const messageId = `<${encodeURIComponent(notificationId)}@overdracht>`;
    expect(sink.received.filter((mail) => mail.messageId === messageId)).toHaveLength(1);
    const [{ n }] = await db.admin.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [transitionId]);
    expect((await handle.query(transitionStatusQuery)).streamVersion).toBe(n);
    expect(await new AuditVerifier(db.admin).verify(transitionId)).toMatchObject({ intact: true });
  }

  it('sends and records a reminder that came due during a 20 s outage once the store is back, once', async () => {
    const { handle, transitionId, alarm, notificationId } = await startHandover('feijenoord');
    expect(alarm.kind).toBe('task-reminder');
    await sleepUntil(alarm.at - MINUTE);
    proxy.cut();
    await sleepUntil(alarm.at + 20_000);
    proxy.restore();
    await env.sleep(10 * MINUTE);
    await expectDeliveredOnce(handle, transitionId, notificationId);
    // Out of the way of the next test's outage: its alarms would fall on the same 09:00.
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: coordinator, actingFor: ['rotterdam'], reason: 'test done' }] });
  }, 60_000);

  /*
   * The alarm sends its notification (sendNotification: scheduleToClose 2 minutes) before it
   * takes the lock; when that fails, the alarm is tried again later, as after a failed append,
   * and the handover's workflow keeps running.
   */
  it('keeps the handover running through an outage of 3 minutes at 09:00, and sends the reminder once after', async () => {
    const { handle, transitionId, alarm, notificationId } = await startHandover('charlois');
    await sleepUntil(alarm.at - MINUTE);
    proxy.cut();
    await sleepUntil(alarm.at + 3 * MINUTE);
    proxy.restore();
    await env.sleep(30 * MINUTE);
    await expectDeliveredOnce(handle, transitionId, notificationId);
  }, 60_000);
});
