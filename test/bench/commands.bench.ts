import 'reflect-metadata';
import { WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { ensureTool } from '../../src/devstack/project-tools';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { createTestUser, seedOrganisations } from '../support/access';
import { startTemporalDevServer } from '../support/temporal';
import * as baselineActivities from './baseline/activities';
import { BARE_TASK_QUEUE, BARE_WORKFLOW, bareUpdate, updateWithActivity } from './baseline/definitions';
import { createBenchDatabase } from './bench-database';
import { startBenchApp, urlOf } from './bench-app';
import { Cleanup } from './cleanup';
import { intFromEnv } from './env';
import { updateTimings, UpdateTimings } from './history-timings';
import { concurrent, Concurrent, median, sequential, Sequential } from './latency';
import { OverdrachtApi } from './overdracht-api';

const ITERATIONS = intFromEnv('BENCH_ITERATIONS', 50);
const WARMUP = intFromEnv('BENCH_WARMUP', 5, 0);
const CLIENTS = intFromEnv('BENCH_CLIENTS', 10);
const PER_CLIENT = intFromEnv('BENCH_COMMANDS_PER_CLIENT', 10);
/** Goals: a command costs at most this many times the bare update + activity; a create, the bare update-with-start. */
const COMMAND_GOAL = 1.3;
const CREATE_GOAL = 2;

const log = (line: string) => process.stderr.write(`${line}\n`);
const cleanup = new Cleanup(log);
const check = () => cleanup.check();

interface Measured {
  label: string;
  sequential: Sequential;
  concurrent: Concurrent;
  /** Median timings inside Temporal of the sequential calls, from their workflows' histories. */
  inside?: Omit<UpdateTimings, 'name'>;
}

/**
 * `npm run bench:commands`: what one command costs through Overdracht (HTTP, Nest, the
 * workflow, its appends) against what Temporal itself needs for the same shape of work, on one
 * Temporal dev server and the machine's PostgreSQL, in one run:
 *
 * - baselines, through a Temporal client: an update whose handler calls one no-op activity
 *   (the least a command that records something costs), and a bare update-with-start (the update
 *   returns at once; the least a create costs);
 * - Overdracht over HTTP with real bearer tokens: create, complete kick-off (three appends today),
 *   complete staff-agreements (one), sign off a milestone, move go-live.
 *
 * Sequential p50 / p95 over BENCH_ITERATIONS calls after BENCH_WARMUP unmeasured ones, each on a
 * handover of its own; throughput with BENCH_CLIENTS concurrent clients, each working through
 * BENCH_COMMANDS_PER_CLIENT handovers of its own one after the other. A report: it exits 0 when a
 * goal is missed, 1 only when the benchmark itself fails.
 */
async function main(): Promise<void> {
  // Our own runtime: leave SIGINT / SIGTERM to the cleanup, and keep the SDK's INFO lines out of the report.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  process.env.TEMPORAL_CLI = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  log('Starting a Temporal dev server, a database of our own and an SMTP sink ...');
  const [env, db, sink] = await Promise.all([
    cleanup.start('Temporal dev server', startTemporalDevServer(), (server) => server.teardown()),
    createBenchDatabase(serverUrl, 'overdracht_commands_bench', cleanup),
    cleanup.start('SMTP sink', SmtpSink.start(0), (smtp) => smtp.stop()),
  ]);
  await seedOrganisations(db.admin);
  const coordinator = (await createTestUser(db.app, 'coordinator', 'rotterdam')).token;
  const outgoing = (await createTestUser(db.app, 'provider', 'welzijn-maas')).token;

  log('Starting the baseline worker and the Overdracht app (worker in-process) ...');
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: 'overdracht-bench',
    SMTP_URL: sink.url,
    DEMO_DATA: 'false',
    PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    RUN_WORKER: 'true',
  });
  await Promise.all([
    cleanup.start('baseline worker', startBaselineWorker(env), async ({ worker, running }) => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    }),
    cleanup.start('Overdracht app', startBenchApp(), (app) => app.close()),
  ]).then(([, app]) => measureAll(env, new OverdrachtApi(urlOf(app)), { coordinator, outgoing }));
}

async function startBaselineWorker(env: TestWorkflowEnvironment) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./baseline/workflows'),
    activities: baselineActivities,
  });
  const running = worker.run();
  running.catch((error) => log(`baseline worker stopped: ${String(error)}`));
  return { worker, running };
}

interface Handover {
  transitionId: string;
  goLiveDate: string;
}

/** YYYY-MM-DD `days` after `date`. */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const ROTTERDAM = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!.districts.map((d) => d.code);
let handoversPlanned = 0;
/**
 * Handovers with ids of their own: Rotterdam's districts, go-live 200 days ahead and later, so no
 * reminder, escalation or gate falls due while the benchmark runs.
 */
function planHandovers(count: number): Handover[] {
  const today = new Date().toISOString().slice(0, 10);
  return Array.from({ length: count }, () => {
    const n = handoversPlanned++;
    const goLiveDate = addDays(today, 200 + Math.floor(n / ROTTERDAM.length));
    return { transitionId: `rotterdam.${ROTTERDAM[n % ROTTERDAM.length]}.${goLiveDate}`, goLiveDate };
  });
}

async function measureAll(env: TestWorkflowEnvironment, api: OverdrachtApi, tokens: { coordinator: string; outgoing: string }) {
  const { client } = env;
  const loadAtStart = loadavg()[0];
  const measured: Record<string, Measured> = {};
  const run = async (
    key: string,
    label: string,
    sequentialCall: (i: number) => Promise<unknown>,
    concurrentCall: (client: number, j: number) => Promise<unknown>,
  ) => {
    log(`  measuring: ${label}`);
    measured[key] = {
      label,
      sequential: await sequential(WARMUP, ITERATIONS, sequentialCall, check),
      concurrent: await concurrent(CLIENTS, PER_CLIENT, concurrentCall, check),
    };
  };

  // Baselines: a trivial workflow on its own task queue, through the Temporal client.
  const startBare = (workflowId: string) =>
    client.workflow.start(BARE_WORKFLOW, { workflowId, taskQueue: BARE_TASK_QUEUE, args: [] });
  const sequentialBare = await startBare('bench-bare-sequential');
  const concurrentBare: WorkflowHandle[] = [];
  for (let c = 0; c < CLIENTS; c++) concurrentBare.push(await startBare(`bench-bare-${c}`));
  await run(
    'bareUpdate',
    'bare update + activity',
    () => sequentialBare.executeUpdate(updateWithActivity),
    (c) => concurrentBare[c].executeUpdate(updateWithActivity),
  );
  const updateWithStart = (workflowId: string, update: typeof bareUpdate) =>
    client.workflow.executeUpdateWithStart(update, {
      startWorkflowOperation: new WithStartWorkflowOperation(BARE_WORKFLOW, {
        workflowId,
        taskQueue: BARE_TASK_QUEUE,
        args: [],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
  await run(
    'bareUpdateWithStart',
    'bare update-with-start',
    (i) => updateWithStart(`bench-uws-${i}`, bareUpdate),
    (c, j) => updateWithStart(`bench-uws-${c}-${j}`, bareUpdate),
  );
  await run(
    'updateWithStartActivity',
    'update-with-start + activity',
    (i) => updateWithStart(`bench-uws-activity-${i}`, updateWithActivity),
    (c, j) => updateWithStart(`bench-uws-activity-${c}-${j}`, updateWithActivity),
  );

  // Overdracht over HTTP: one pool of handovers for the sequential runs, one per client for the
  // concurrent ones; each command below runs once on each handover of both pools, in this order.
  const pool = planHandovers(WARMUP + ITERATIONS);
  const clientPools = Array.from({ length: CLIENTS }, () => planHandovers(PER_CLIENT));
  const commands: Array<{ key: string; label: string; call: (h: Handover) => Promise<unknown> }> = [
    {
      key: 'create',
      label: 'POST /transitions (create)',
      call: (h) =>
        api.post(
          '/transitions',
          tokens.coordinator,
          {
            municipality: 'rotterdam',
            district: h.transitionId.split('.')[1],
            outgoingProvider: 'welzijn-maas',
            incomingProvider: 'buurtkracht',
            goLiveDate: h.goLiveDate,
          },
          201,
        ),
    },
    {
      key: 'kickOff',
      label: 'complete kick-off',
      call: (h) => api.post(`/transitions/${h.transitionId}/tasks/kick-off/complete`, tokens.coordinator, { note: 'Held' }, 200),
    },
    {
      key: 'staffAgreements',
      label: 'complete staff-agreements',
      call: (h) =>
        api.post(`/transitions/${h.transitionId}/tasks/staff-agreements/complete`, tokens.outgoing, { note: 'Agreed' }, 200),
    },
    {
      key: 'signOff',
      label: 'sign off partners-introduced',
      call: (h) =>
        api.post(`/transitions/${h.transitionId}/milestones/partners-introduced/sign-off`, tokens.coordinator, { note: 'Met' }, 200),
    },
    {
      key: 'moveGoLive',
      label: 'move go-live (+28 days)',
      call: (h) =>
        api.post(
          `/transitions/${h.transitionId}/go-live`,
          tokens.coordinator,
          { expectedGoLiveDate: h.goLiveDate, goLiveDate: addDays(h.goLiveDate, 28), reason: 'Locations not ready' },
          200,
        ),
    },
  ];
  for (const command of commands) {
    await run(
      command.key,
      command.label,
      (i) => command.call(pool[i]),
      (c, j) => command.call(clientPools[c][j]),
    );
  }

  // Where the time went inside Temporal: the measured sequential calls' workflow histories.
  log('  reading the workflow histories ...');
  const historyOf = async (workflowId: string) => (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const insideOf = (timings: UpdateTimings[]) => {
    const field = (name: keyof Omit<UpdateTimings, 'name'>) => median(timings.map((t) => t[name]));
    return {
      inWorkflow: field('inWorkflow'),
      activities: field('activities'),
      activityRun: field('activityRun'),
      activityDispatch: field('activityDispatch'),
      workflowTasks: field('workflowTasks'),
      workflowTaskRun: field('workflowTaskRun'),
      workflowTaskDispatch: field('workflowTaskDispatch'),
    };
  };
  measured.bareUpdate.inside = insideOf(updateTimings(await historyOf('bench-bare-sequential')).slice(WARMUP));
  const firstUpdates = async (ids: string[]) => Promise.all(ids.map(async (id) => updateTimings(await historyOf(id))[0]));
  const measuredIndexes = Array.from({ length: ITERATIONS }, (_, i) => WARMUP + i);
  measured.bareUpdateWithStart.inside = insideOf(await firstUpdates(measuredIndexes.map((i) => `bench-uws-${i}`)));
  measured.updateWithStartActivity.inside = insideOf(await firstUpdates(measuredIndexes.map((i) => `bench-uws-activity-${i}`)));
  const handoverUpdates = await Promise.all(pool.slice(WARMUP).map(async (h) => updateTimings(await historyOf(h.transitionId))));
  if (handoverUpdates.every((updates) => updates.length === commands.length)) {
    commands.forEach((command, index) => (measured[command.key].inside = insideOf(handoverUpdates.map((updates) => updates[index]))));
  } else {
    log('  (a handover history does not hold exactly one update per command; no breakdown for the commands)');
  }

  report(measured, [loadAtStart, loadavg()[0]]);
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function report(measured: Record<string, Measured>, load: [number, number]): void {
  const baselineOf: Record<string, string> = {
    create: 'bareUpdateWithStart',
    kickOff: 'bareUpdate',
    staffAgreements: 'bareUpdate',
    signOff: 'bareUpdate',
    moveGoLive: 'bareUpdate',
  };
  const ratios = (key: string) => {
    const ours = measured[key];
    const base = measured[baselineOf[key]];
    return {
      p50: ours.sequential.p50 / base.sequential.p50,
      p95: ours.sequential.p95 / base.sequential.p95,
      throughput: base.concurrent.perSecond / ours.concurrent.perSecond,
    };
  };

  console.log(
    `\nCommands: sequential latency over ${ITERATIONS} calls (after ${WARMUP} warm-up), each on a handover of its own;` +
      `\nthroughput with ${CLIENTS} concurrent clients x ${PER_CLIENT} calls, each client on handovers of its own.` +
      `\nRatios are times the baseline's cost: latency / baseline latency, baseline throughput / throughput.` +
      `\nThis machine: ${availableParallelism()} CPUs; load average ${fixed(load[0], 2)} when measuring began, ${fixed(load[1], 2)} at the end` +
      (Math.max(...load) > availableParallelism() ? ' — above the CPU count: other processes competed; compare within one run only' : '') +
      '.\n',
  );
  printTable(
    ['command', 'activities', 'p50 ms', 'p95 ms', `p50 ms @${CLIENTS}`, `cmds/s @${CLIENTS}`, 'baseline', 'x p50', 'x p95', 'x cmds/s'],
    Object.entries(measured).map(([key, m]) => {
      const baseline = baselineOf[key];
      const r = baseline ? ratios(key) : undefined;
      return [
        baseline ? m.label : `${m.label} (baseline)`,
        fixed(m.inside?.activities ?? NaN, 0),
        fixed(m.sequential.p50),
        fixed(m.sequential.p95),
        fixed(median(m.concurrent.latencies)),
        fixed(m.concurrent.perSecond, 0),
        baseline ? measured[baseline].label : '-',
        r ? `${fixed(r.p50, 2)}x` : '-',
        r ? `${fixed(r.p95, 2)}x` : '-',
        r ? `${fixed(r.throughput, 2)}x` : '-',
      ];
    }),
  );

  console.log('\nGoals (met when both the p50 and the throughput ratio are within; p95 is for information):');
  for (const key of Object.keys(baselineOf)) {
    const goal = key === 'create' ? CREATE_GOAL : COMMAND_GOAL;
    const r = ratios(key);
    const pass = r.p50 <= goal && r.throughput <= goal;
    console.log(
      `  ${pass ? 'PASS' : 'FAIL'}  ${measured[key].label}: ${fixed(r.p50, 2)}x p50, ${fixed(r.throughput, 2)}x throughput` +
        ` <= ${goal}x ${measured[baselineOf[key]].label}`,
    );
  }

  console.log(
    '\nWhere the time goes inside Temporal (medians over the sequential calls, from their histories, ms):' +
      '\n"in workflow" runs from the workflow task that delivered the update (or the start) to the update completed;' +
      '\n"outside" is the caller\'s p50 minus that: HTTP, guards and reads, the client\'s gRPC call and the wait for the first task.\n',
  );
  printTable(
    ['command', 'p50 ms', 'in workflow', 'activities run', 'activity dispatch', 'workflow tasks', 'task run', 'task dispatch', 'outside'],
    Object.values(measured)
      .filter((m) => m.inside)
      .map((m) => [
        m.label,
        fixed(m.sequential.p50),
        fixed(m.inside!.inWorkflow),
        `${fixed(m.inside!.activityRun)} (${fixed(m.inside!.activities, 0)})`,
        fixed(m.inside!.activityDispatch),
        fixed(m.inside!.workflowTasks, 0),
        fixed(m.inside!.workflowTaskRun),
        fixed(m.inside!.workflowTaskDispatch),
        fixed(m.sequential.p50 - m.inside!.inWorkflow),
      ]),
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

cleanup.runMain(main);
