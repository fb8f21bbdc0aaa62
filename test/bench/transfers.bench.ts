import 'reflect-metadata';
import { Client as TemporalClient, WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { transferIdOf } from '../../src/clients/client.events';
import { MAX_PAGE_SIZE } from '../../src/clients/reads/client-list.query';
import { BULK_CONCURRENCY, BulkOutcome } from '../../src/clients/transfers/bulk-commands';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { createTestUser, seedOrganisations } from '../support/access';
import { checkClientTransfersUpdate } from '../../workflows/transition/definitions';
import { startBenchStack } from '../support/bench-stack';
import { BARE_TRANSFER_TASK_QUEUE, BARE_TRANSFER_WORKFLOW, BareTransferStep, bareTransferUpdates } from './baseline/transfer-definitions';
import { startBenchApp, urlOf } from './bench-app';
import { Cleanup } from './cleanup';
import { intFromEnv } from './env';
import { clientListCsv, SMALL_PDF } from './client-list';
import { updateTimings, UpdateTimings } from './history-timings';
import { chunksOf, eachInFlight, median, percentile } from './latency';
import { childrenNamed, CpuOfProcesses } from './cpu-sampler';
import { MemoryReport, sampleMemory } from './memory-sampler';
import { ApiError, OverdrachtApi } from './overdracht-api';

/** Clients imported and taken through every step (a client list holds at most 10,000). */
const CLIENTS = intFromEnv('BENCH_TRANSFER_CLIENTS', 10_000, 1, 10_000);
/** Pseudonyms per bulk request (the routes take at most 1,000), and bulk requests in flight at once. */
const CHUNK = intFromEnv('BENCH_TRANSFER_CHUNK', 1_000, 1, 1_000);
const CHUNKS_IN_FLIGHT = intFromEnv('BENCH_TRANSFER_CHUNKS_IN_FLIGHT', 3);
/** File uploads (one per client: the file step has no bulk route) in flight at once. */
const UPLOADS_IN_FLIGHT = intFromEnv('BENCH_TRANSFER_UPLOADS_IN_FLIGHT', 16);
/** Transfers whose workflow histories are read for the events per transfer and the timings. */
const HISTORY_SAMPLE = intFromEnv('BENCH_TRANSFER_HISTORY_SAMPLE', 20);
/** Goal: transfers per second end to end at least this share of the bare-Temporal baseline's. */
const GOAL = 0.5;

/**
 * How the import starts transfers (workflows/client-import/workflow.ts, client-import.activities.ts):
 * pages of PAGE clients, WINDOW pages at once, STARTS_AT_ONCE update-with-starts at a time within a
 * page. The baseline starts its workflows the same way.
 */
const IMPORT_PAGE = 100;
const IMPORT_WINDOW = 4;
const IMPORT_STARTS_AT_ONCE = 20;
/** How one bulk request works through its pseudonyms inside the service: this many commands at once. */
const BULK_COMMANDS_AT_ONCE = BULK_CONCURRENCY;
/** The import fails the benchmark when no client is listed for this long. */
const IMPORT_STALL_MS = 60_000;
/** Requests a bulk step sends for one chunk at most: its clients answered 503 go again. */
const MAX_ATTEMPTS = 5;
/** How long the transfers may take to tell the handover they finished, after the last accept. */
const SETTLE_AT_MOST_MS = 600_000;

const STEPS = ['listed', 'informed', 'consent', 'file', 'intake', 'accept'] as const satisfies readonly BareTransferStep[];
type Step = (typeof STEPS)[number];

const log = (line: string) => process.stderr.write(`${line}\n`);
const cleanup = new Cleanup(log);
const check = () => cleanup.check();
const now = () => Number(process.hrtime.bigint()) / 1e6;

interface StepRun {
  ms: number;
  /** Clients answered 503 (each sent again), by the answer's message. */
  unavailable: Map<string, number>;
  /** Clients answered 503 whose command had gone through after all: sent again, they got 409 (done already). */
  recordedDespite503: number;
  /** Latency of each request of the step, ms: a bulk request, an upload, a start page, or the baseline's counterpart. */
  requests: number[];
}

interface PhaseResult {
  label: string;
  /** First start (the import's POST) to the last transfer accepted, ms. */
  ms: number;
  steps: Record<Step, StepRun>;
  /** Reading the handover's client list for the pseudonyms, between the import and the first bulk step, ms. */
  listingMs: number;
  /** Overdracht: the handover's bookkeeping after the last accept (each finished transfer tells it when none is left open). */
  handover?: Settled;
  memory: MemoryReport;
  /** CPU time of the other processes doing the work, ms (undefined: not readable here). */
  cpuElsewhere: { temporal?: number; postgres?: number };
  /** Events of each sampled transfer's workflow history. */
  historyEvents: number[];
  /** Per update name, its timings inside Temporal in each sampled history. */
  updates: Map<string, UpdateTimings[]>;
}

interface Tokens {
  coordinator: string;
  outgoing: string;
  incoming: string;
}

/**
 * `npm run bench:transfers`: CLIENTS clients imported from one CSV and each taken through every
 * step of its warm transfer with the bulk routes (the file, which has no bulk route, uploaded per
 * client), end to end against a bare-Temporal baseline of as many workflows started and updated
 * the same way with no-op handlers, on one Temporal dev server in one run. A report: it exits 0
 * when the goal is missed, 1 only when the benchmark itself fails.
 */
async function main(): Promise<void> {

  log('Starting a Temporal dev server, a database of our own and an SMTP sink ...');
  const [{ temporal: env, db }, sink] = await Promise.all([
    startBenchStack(cleanup, 'overdracht_transfers_bench'),
    cleanup.start('SMTP sink', SmtpSink.start(0), (smtp) => smtp.stop()),
  ]);
  await seedOrganisations(db.admin);
  const tokens: Tokens = {
    coordinator: (await createTestUser(db.app, 'coordinator', 'rotterdam')).token,
    outgoing: (await createTestUser(db.app, 'provider', 'welzijn-maas')).token,
    incoming: (await createTestUser(db.app, 'provider', 'buurtkracht')).token,
  };

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
  const [baselineWorker, app] = await Promise.all([
    cleanup.start('baseline worker', startBaselineWorker(env), stopWorker),
    cleanup.start('Overdracht app', startBenchApp(), (started) => started.close()),
  ]);
  const api = new OverdrachtApi(urlOf(app));
  const loadAtStart = loadavg()[0];

  log(`Baseline: ${CLIENTS} bare workflows, ${STEPS.length} no-op updates each ...`);
  const cpuElsewhere = () => sampleCpuElsewhere(db.admin);
  const baseline = await runBaseline(env.client, cpuElsewhere);
  // Its cached workflows leave the process's memory before Overdracht's phase is sampled.
  await stopWorker(baselineWorker);

  log(`Overdracht: ${CLIENTS} clients imported and taken through every step ...`);
  const transitionId = await createHandover(api, tokens);
  const overdracht = await runOverdracht(api, tokens, transitionId, env.client, cpuElsewhere);

  report(baseline, overdracht, [loadAtStart, loadavg()[0]]);
}

async function startBaselineWorker(env: TestWorkflowEnvironment) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: BARE_TRANSFER_TASK_QUEUE,
    workflowsPath: require.resolve('./baseline/transfer-workflow'),
  });
  const running = worker.run();
  running.catch((error) => log(`baseline worker stopped: ${String(error)}`));
  return { worker, running };
}

async function stopWorker({ worker, running }: { worker: Worker; running: Promise<void> }): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
}

/** One Rotterdam handover from the outgoing to the incoming provider, go-live 200 days ahead (no alarm falls due). */
async function createHandover(api: OverdrachtApi, tokens: Tokens): Promise<string> {
  const goLiveDate = addDays(amsterdamDate(Date.now()), 200);
  const district = 'feijenoord';
  await api.post(
    '/transitions',
    tokens.coordinator,
    { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate },
    201,
  );
  return `rotterdam.${district}.${goLiveDate}`;
}

interface CpuElsewhere {
  stop: () => Promise<PhaseResult['cpuElsewhere']>;
}

/**
 * Starts sampling, every second, the CPU time of the Temporal dev server (this process's child)
 * and of the PostgreSQL backends connected to the bench database (when the server runs on this
 * machine: read from /proc).
 */
async function sampleCpuElsewhere(admin: DataSource): Promise<CpuElsewhere> {
  const temporal = new CpuOfProcesses(() => childrenNamed('temporal'));
  const postgres = new CpuOfProcesses(async () =>
    ((await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) as Array<{ pid: number }>).map((row) => row.pid),
  );
  const sampleAll = () => Promise.all([temporal.sample(), postgres.sample()]).then(() => undefined);
  await sampleAll();
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(sampleAll).catch(() => undefined)), 1_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await sampling;
      await sampleAll();
      return { temporal: temporal.used(), postgres: postgres.used() };
    },
  };
}

/** Times `run` as one step: its wall time and the latency of every request it makes through `timed`. */
/** What a step's requests were answered besides success: 503s, and 409s after a 503. */
interface Tally {
  unavailable: (message: string | undefined) => void;
  recordedDespite503: () => void;
}

async function step(
  name: string,
  run: (timed: <T>(request: () => Promise<T>) => Promise<T>, tally: Tally) => Promise<void>,
): Promise<StepRun> {
  const requests: number[] = [];
  const unavailable = new Map<string, number>();
  let recordedDespite503 = 0;
  const tally: Tally = {
    unavailable: (message = '(no message)') => unavailable.set(message, (unavailable.get(message) ?? 0) + 1),
    recordedDespite503: () => recordedDespite503++,
  };
  const timed = async <T>(request: () => Promise<T>): Promise<T> => {
    const started = now();
    const result = await request();
    requests.push(now() - started);
    return result;
  };
  const started = now();
  await run(timed, tally);
  const ms = now() - started;
  const answered503 = [...unavailable.values()].reduce((sum, n) => sum + n, 0);
  log(
    `  ${name}: ${(ms / 1000).toFixed(1)} s (${requests.length} requests` +
      (answered503 ? `; ${answered503} answers 503, sent again: ${recordedDespite503} of them had gone through after all` : '') +
      ')',
  );
  return { ms, requests, unavailable, recordedDespite503 };
}

// ---------------------------------------------------------------------------------------------
// The baseline: bare workflows started and updated the way Overdracht starts and updates transfers.

async function runBaseline(client: TemporalClient, cpuElsewhere: () => Promise<CpuElsewhere>): Promise<PhaseResult> {
  const run = `${Date.now().toString(36)}`;
  const ids = Array.from({ length: CLIENTS }, (_, i) => `bench-transfer-${run}-${i}`);
  const memory = sampleMemory();
  const elsewhere = await cpuElsewhere();
  const started = now();
  const steps = {} as Record<Step, StepRun>;

  // Listed: update-with-start, as the import's activity starts transfers.
  steps.listed = await step('listed (update-with-start)', (timed) =>
    eachInFlight(chunksOf(ids, IMPORT_PAGE), IMPORT_WINDOW, (page) =>
      timed(async () => {
        for (const batch of chunksOf(page, IMPORT_STARTS_AT_ONCE)) {
          check();
          await Promise.all(
            batch.map((workflowId) =>
              client.workflow.executeUpdateWithStart(bareTransferUpdates.listed, {
                startWorkflowOperation: new WithStartWorkflowOperation(BARE_TRANSFER_WORKFLOW, {
                  workflowId,
                  taskQueue: BARE_TRANSFER_TASK_QUEUE,
                  args: [],
                  workflowIdConflictPolicy: 'USE_EXISTING',
                }),
              }),
            ),
          );
        }
      }),
    ),
  );
  // The bulk steps: chunks in flight as the bulk requests are, each chunk's updates as a bulk request sends its commands.
  const bulk = (name: Step) =>
    step(name, (timed) =>
      eachInFlight(chunksOf(ids, CHUNK), CHUNKS_IN_FLIGHT, (chunk) =>
        timed(() =>
          eachInFlight(chunk, BULK_COMMANDS_AT_ONCE, (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(bareTransferUpdates[name]), check),
        ),
      ),
    );
  steps.informed = await bulk('informed');
  steps.consent = await bulk('consent');
  // The file: one update per workflow, as many in flight as Overdracht's uploads.
  steps.file = await step('file', (timed) =>
    eachInFlight(ids, UPLOADS_IN_FLIGHT, (workflowId) => timed(() => client.workflow.getHandle(workflowId).executeUpdate(bareTransferUpdates.file)), check),
  );
  steps.intake = await bulk('intake');
  steps.accept = await bulk('accept');
  const ms = now() - started;
  const used = memory.stop();
  const usedElsewhere = await elsewhere.stop();

  return { label: 'bare Temporal', ms, steps, listingMs: 0, memory: used, cpuElsewhere: usedElsewhere, ...(await histories(client, sample(ids))) };
}

// ---------------------------------------------------------------------------------------------
// Overdracht: the import, then the bulk routes and the uploads, over HTTP with real tokens.

async function runOverdracht(
  api: OverdrachtApi,
  tokens: Tokens,
  transitionId: string,
  client: TemporalClient,
  cpuElsewhere: () => Promise<CpuElsewhere>,
): Promise<PhaseResult> {
  const csv = clientListCsv(CLIENTS);
  const memory = sampleMemory();
  const elsewhere = await cpuElsewhere();
  const started = now();
  const steps = {} as Record<Step, StepRun>;

  // Listed: the import's POST until every new client is listed.
  steps.listed = await step('listed (import)', async (timed) => {
    const accepted = (await timed(() =>
      api.postBytes(`/transitions/${transitionId}/clients/import`, tokens.outgoing, 'text/csv', csv, 202),
    )) as { importId: string; newClients: number };
    if (accepted.newClients !== CLIENTS) throw new Error(`the import took ${accepted.newClients} new clients of ${CLIENTS}`);
    let listed = -1;
    let movedAt = now();
    for (;;) {
      check();
      const progress = (await api.get(`/transitions/${transitionId}/clients/imports/${accepted.importId}`, tokens.outgoing)) as {
        listed: number;
        newClients: number;
        state: string;
      };
      if (progress.listed === progress.newClients || progress.state === 'finished') break;
      if (progress.listed !== listed) [listed, movedAt] = [progress.listed, now()];
      if (now() - movedAt > IMPORT_STALL_MS) {
        throw new Error(`the import stalled: ${progress.listed} of ${progress.newClients} listed, none more in ${IMPORT_STALL_MS / 1000} s`);
      }
      await delay(200);
    }
  });
  const listing = now();
  const pseudonyms = await listPseudonyms(api, tokens.coordinator, transitionId);
  const listingMs = now() - listing;
  log(`  listing the pseudonyms: ${(listingMs / 1000).toFixed(1)} s`);
  if (pseudonyms.length !== CLIENTS) throw new Error(`${pseudonyms.length} transfers listed, expected ${CLIENTS}`);

  const today = amsterdamDate(Date.now());
  // A client answered 503 (the request's deadline passed, or its transfer was slow to answer) goes again in a
  // request of its own; answered 409 then, its command had been recorded the first time all the same.
  const bulk = (name: Step, route: string, token: string, fields: object) =>
    step(name, (timed, tally) =>
      eachInFlight(chunksOf(pseudonyms, CHUNK), CHUNKS_IN_FLIGHT, async (chunk) => {
        let left = chunk;
        for (let attempt = 1; left.length > 0; attempt++) {
          check();
          const outcome = (await timed(() =>
            api.post(`/transitions/${transitionId}/clients/bulk/${route}`, token, { pseudonyms: left, ...fields }, 200),
          )) as BulkOutcome;
          left = notDone(`bulk ${route}`, left, outcome, attempt, tally);
        }
      }),
    );
  const upload = (pseudonym: string, timed: <T>(request: () => Promise<T>) => Promise<T>, tally: Tally) =>
    sendUntilDone(
      () => timed(() => api.postBytes(`/clients/${pseudonym}/file`, tokens.outgoing, 'application/pdf', SMALL_PDF, 200)),
      tally,
    );
  steps.informed = await bulk('informed', 'informed', tokens.outgoing, { date: today, channel: 'letter' });
  steps.consent = await bulk('consent', 'consent', tokens.outgoing, { given: true, date: today });
  steps.file = await step('file (one upload per client)', (timed, tally) =>
    eachInFlight(pseudonyms, UPLOADS_IN_FLIGHT, (pseudonym) => upload(pseudonym, timed, tally), check),
  );
  steps.intake = await bulk('intake', 'intake', tokens.incoming, { date: today });
  steps.accept = await bulk('accept', 'accept', tokens.incoming, { date: today });
  const ms = now() - started;
  const used = memory.stop();
  const usedElsewhere = await elsewhere.stop();
  const handover = await settle(client, transitionId, pseudonyms.slice(-CHUNK * CHUNKS_IN_FLIGHT));

  return {
    label: 'Overdracht',
    ms,
    steps,
    listingMs,
    handover,
    memory: used,
    cpuElsewhere: usedElsewhere,
    ...(await histories(client, sample(pseudonyms).map((pseudonym) => transferIdOf(transitionId, pseudonym)))),
  };
}

/** The handover's transfers' pseudonyms, through its client list, a page at a time (as its coordinator: codes only). */
async function listPseudonyms(api: OverdrachtApi, token: string, transitionId: string): Promise<string[]> {
  const pseudonyms: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await api.get(
      `/transitions/${transitionId}/clients?limit=${MAX_PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ''}`,
      token,
    )) as { items: Array<{ pseudonym: string }>; nextCursor: string | null };
    pseudonyms.push(...page.items.map((item) => item.pseudonym));
    cursor = page.nextCursor;
  } while (cursor);
  return pseudonyms;
}

/**
 * The pseudonyms of a bulk request to send again: those answered 503, while attempts are left. A
 * 409 on a later attempt means the earlier attempt, answered 503, was recorded all the same (each
 * client gets each command once here). Any other refusal fails the run.
 */
function notDone(what: string, sent: string[], outcome: BulkOutcome, attempt: number, tally: Tally): string[] {
  if (!Array.isArray(outcome?.results) || outcome.results.length !== sent.length) {
    throw new Error(`${what}: expected ${sent.length} results, got ${JSON.stringify(outcome).slice(0, 300)}`);
  }
  const again: string[] = [];
  const refused: BulkOutcome['results'] = [];
  for (const result of outcome.results) {
    if (result.status === 200) continue;
    if (result.status === 503 && attempt < MAX_ATTEMPTS) {
      tally.unavailable(result.message);
      again.push(result.pseudonym);
    } else if (result.status === 409 && attempt > 1) {
      tally.recordedDespite503();
    } else {
      refused.push(result);
    }
  }
  if (refused.length > 0) {
    const statuses = [...new Set(refused.map((result) => result.status))].join(', ');
    throw new Error(`${what}: ${refused.length} of ${sent.length} clients refused (${statuses}), e.g. ${refused[0].status} ${refused[0].message}`);
  }
  return again;
}

/** One client's request, sent again after a 503 while attempts are left; a 409 after a 503: recorded the first time. */
async function sendUntilDone(send: () => Promise<unknown>, tally: Tally): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    check();
    try {
      await send();
      return;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 503 && attempt < MAX_ATTEMPTS) {
        tally.unavailable(error.answer);
      } else if (error.status === 409 && attempt > 1) {
        tally.recordedDespite503();
        return;
      } else {
        throw error;
      }
    }
  }
}

/**
 * After the last accept, each finished transfer counts the handover's open transfers and, when
 * none is left, has the handover check its client milestone (an activity, retried on failure).
 * Waits until the transfers that finished last (the last bulk requests' clients: only they can
 * find none left open) have no activity pending, so the cleanup cuts nothing off. Returns how
 * long that took, how many client checks the handover ran, and the retries seen on the way.
 */
async function settle(client: TemporalClient, transitionId: string, last: string[]): Promise<Settled> {
  const started = now();
  let retried = 0;
  let failure: string | undefined;
  for (;;) {
    check();
    let pending = 0;
    await eachInFlight(last, BULK_COMMANDS_AT_ONCE, async (pseudonym) => {
      const { raw } = await client.workflow.getHandle(transferIdOf(transitionId, pseudonym)).describe();
      for (const activity of raw.pendingActivities ?? []) {
        pending++;
        if ((activity.attempt ?? 1) > 1) {
          retried = Math.max(retried, activity.attempt! - 1);
          failure ??= `${activity.activityType?.name}: ${activity.lastFailure?.message}`;
        }
      }
    });
    if (pending === 0) break;
    if (now() - started > SETTLE_AT_MOST_MS) throw new Error(`${pending} transfers still had activities pending ${SETTLE_AT_MOST_MS / 1000} s after the last accept`);
    await delay(500);
  }
  const settledMs = now() - started;
  const events = (await client.workflow.getHandle(transitionId).fetchHistory()).events ?? [];
  const checks = events.filter(
    (event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === checkClientTransfersUpdate.name,
  ).length;
  log(`  settled ${(settledMs / 1000).toFixed(1)} s after the last accept: ${checks} client checks by the handover${failure ? `; retried up to ${retried} times: ${failure}` : ''}`);
  return { settledMs, checks, retried, failure };
}

interface Settled {
  settledMs: number;
  /** checkClientTransfers updates in the handover's history. */
  checks: number;
  /** The most attempts beyond the first of any pending activity seen, and the first failure's message. */
  retried: number;
  failure?: string;
}

// ---------------------------------------------------------------------------------------------
// Histories: events per transfer, and where an update's time goes inside Temporal.

/** Up to HISTORY_SAMPLE items spread evenly over `items`. */
const sample = <T>(items: T[]): T[] => {
  const count = Math.min(HISTORY_SAMPLE, items.length);
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
};

async function histories(client: TemporalClient, workflowIds: string[]): Promise<Pick<PhaseResult, 'historyEvents' | 'updates'>> {
  const historyEvents: number[] = [];
  const updates = new Map<string, UpdateTimings[]>();
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    historyEvents.push(events.length);
    for (const timings of updateTimings(events)) updates.set(timings.name, [...(updates.get(timings.name) ?? []), timings]);
  }
  return { historyEvents, updates };
}

// ---------------------------------------------------------------------------------------------
// The report.

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const seconds = (ms: number) => fixed(ms / 1000, 1);
const mib = (bytes: number) => fixed(bytes / 1024 / 1024, 0);
const perSecond = (ms: number) => CLIENTS / (ms / 1000);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function report(baseline: PhaseResult, overdracht: PhaseResult, load: [number, number]): void {
  const phases = [baseline, overdracht];
  const ratio = perSecond(overdracht.ms) / perSecond(baseline.ms);
  const withoutFile = (phase: PhaseResult) => phase.ms - phase.steps.file.ms;

  console.log(
    `\nTransfers: ${CLIENTS} clients, each through ${STEPS.length} steps (${STEPS.join(', ')}); bulk requests of ${CHUNK}, ` +
      `${CHUNKS_IN_FLIGHT} in flight; ${UPLOADS_IN_FLIGHT} file uploads in flight.` +
      `\nBaseline: ${CLIENTS} bare workflows on the same Temporal server, started by update-with-start as the import starts` +
      `\ntransfers (pages of ${IMPORT_PAGE}, ${IMPORT_WINDOW} at once, ${IMPORT_STARTS_AT_ONCE} starts at a time), then one no-op update per step,` +
      ` sent in the same chunks (${BULK_COMMANDS_AT_ONCE} at a time within a chunk).` +
      `\nThis machine: ${availableParallelism()} CPUs; load average ${fixed(load[0], 2)} when measuring began, ${fixed(load[1], 2)} at the end` +
      (Math.max(...load) > availableParallelism() ? ' — above the CPU count: other processes competed; compare within one run only' : '') +
      '.\n',
  );
  printTable(
    ['', 'end to end s', 'transfers/s', 'without file: s', 'transfers/s', ...STEPS.map((name) => `${name} s`)],
    [
      ...phases.map((phase) => [
        phase.label,
        seconds(phase.ms),
        fixed(perSecond(phase.ms)),
        seconds(withoutFile(phase)),
        fixed(perSecond(withoutFile(phase))),
        ...STEPS.map((name) => seconds(phase.steps[name].ms)),
      ]),
      [
        'Overdracht / bare',
        `${fixed(overdracht.ms / baseline.ms, 2)}x`,
        `${fixed(ratio, 2)}x`,
        `${fixed(withoutFile(overdracht) / withoutFile(baseline), 2)}x`,
        `${fixed(withoutFile(baseline) / withoutFile(overdracht), 2)}x`,
        ...STEPS.map((name) => `${fixed(overdracht.steps[name].ms / baseline.steps[name].ms, 2)}x`),
      ],
    ],
  );
  console.log(
    `\nLoad average (1 min) while measuring: bare ${fixed(baseline.memory.load.min, 2)} to ${fixed(baseline.memory.load.max, 2)}, ` +
      `Overdracht ${fixed(overdracht.memory.load.min, 2)} to ${fixed(overdracht.memory.load.max, 2)} (the run itself adds some: the app, Temporal and PostgreSQL share the machine).`,
  );
  console.log(
    `\n${ratio >= GOAL ? 'PASS' : 'FAIL'}  transfers per second end to end: ${fixed(ratio, 2)}x the bare baseline's (goal >= ${GOAL}x)` +
      `\n      the import alone (POST to every client listed): ${seconds(overdracht.steps.listed.ms)} s, ` +
      `${fixed(perSecond(overdracht.steps.listed.ms), 0)} clients/s (bare update-with-starts: ${fixed(perSecond(baseline.steps.listed.ms), 0)}/s);` +
      ` then reading the client list for the pseudonyms: ${seconds(overdracht.listingMs)} s` +
      (overdracht.handover
        ? `\n      after the last accept, not in the figures above: the transfers told the handover within ${seconds(overdracht.handover.settledMs)} s;` +
          ` it ran ${overdracht.handover.checks} client check(s)` +
          (overdracht.handover.failure ? `; activities retried up to ${overdracht.handover.retried} times (${overdracht.handover.failure})` : '')
        : '') +
      '',
  );

  console.log('\nRequests per step (ms): Overdracht\'s bulk requests, uploads and import POST; the baseline\'s counterparts (a chunk, an update, a page).\n');
  const answered503 = (run: StepRun) => [...run.unavailable.values()].reduce((sum, n) => sum + n, 0);
  printTable(
    ['step', 'requests', 'p50', 'p95', 'clients 503', '503 but recorded', 'bare requests', 'bare p50', 'bare p95'],
    STEPS.map((name) => {
      const ours = overdracht.steps[name];
      const bare = baseline.steps[name].requests;
      return [
        name,
        String(ours.requests.length),
        fixed(median(ours.requests)),
        fixed(percentile(ours.requests, 95)),
        String(answered503(ours)),
        String(ours.recordedDespite503),
        String(bare.length),
        fixed(median(bare)),
        fixed(percentile(bare, 95)),
      ];
    }),
  );
  const messages = new Map<string, number>();
  for (const name of STEPS) for (const [message, n] of overdracht.steps[name].unavailable) messages.set(message, (messages.get(message) ?? 0) + n);
  if (messages.size > 0) {
    console.log(
      '\nA client answered 503 was sent again (a bulk request\'s clients in a request of their own); "503 but recorded" got 409' +
        '\n(done already) then: its first command had gone through after all. The 503 answers:',
    );
    for (const [message, n] of messages) console.log(`  ${n} x ${message}`);
  }

  console.log(
    '\nCPU time per transfer (ms): this process (the app, both workers, the driver), the Temporal dev server, and the' +
      '\nPostgreSQL backends of the bench database (a lower bound: a backend that came and went between samples is missed).\n',
  );
  const perTransfer = (ms: number | undefined) => (ms === undefined ? '-' : fixed(ms / CLIENTS));
  const total = (phase: PhaseResult) => phase.memory.cpuMs + (phase.cpuElsewhere.temporal ?? 0) + (phase.cpuElsewhere.postgres ?? 0);
  printTable(
    ['phase', 'this process', 'Temporal server', 'PostgreSQL', 'total', 'total CPU s', 'wall s'],
    [
      ...phases.map((phase) => [
        phase.label,
        perTransfer(phase.memory.cpuMs),
        perTransfer(phase.cpuElsewhere.temporal),
        perTransfer(phase.cpuElsewhere.postgres),
        perTransfer(total(phase)),
        seconds(total(phase)),
        seconds(phase.ms),
      ]),
      [
        'Overdracht / bare',
        `${fixed(overdracht.memory.cpuMs / baseline.memory.cpuMs, 2)}x`,
        `${fixed((overdracht.cpuElsewhere.temporal ?? NaN) / (baseline.cpuElsewhere.temporal ?? NaN), 2)}x`,
        '-',
        `${fixed(total(overdracht) / total(baseline), 2)}x`,
        '',
        '',
      ],
    ],
  );

  console.log('\nMemory of this process, sampled every second, MiB:\n');
  printTable(
    ['phase', 'samples', 'RSS min', 'RSS max', 'RSS last', 'heap min', 'heap max', 'heap last'],
    phases.map(({ label, memory }) => [
      label,
      String(memory.samples),
      mib(memory.rss.min),
      mib(memory.rss.max),
      mib(memory.rss.last),
      mib(memory.heapUsed.min),
      mib(memory.heapUsed.max),
      mib(memory.heapUsed.last),
    ]),
  );

  console.log(
    `\nHistories of ${HISTORY_SAMPLE} sampled transfers each: events per transfer, and per update the medians inside Temporal (ms):` +
      '\n"in workflow" from the workflow task that delivered the update (or the start) to the update completed.\n',
  );
  printTable(
    ['phase', 'events per transfer (mean)', 'min', 'max'],
    phases.map(({ label, historyEvents }) => [label, fixed(mean(historyEvents), 1), String(Math.min(...historyEvents)), String(Math.max(...historyEvents))]),
  );
  console.log('');
  printTable(
    ['phase', 'update', 'in workflow', 'activities', 'activity run', 'activity dispatch', 'workflow tasks', 'task run', 'task dispatch'],
    phases.flatMap(({ label, updates }) =>
      [...updates.entries()].map(([name, timings]) => {
        const field = (key: keyof Omit<UpdateTimings, 'name'>) => median(timings.map((t) => t[key]));
        return [
          label,
          name,
          fixed(field('inWorkflow')),
          fixed(field('activities'), 0),
          fixed(field('activityRun')),
          fixed(field('activityDispatch')),
          fixed(field('workflowTasks'), 0),
          fixed(field('workflowTaskRun')),
          fixed(field('workflowTaskDispatch')),
        ];
      }),
    ),
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

cleanup.runMain(main);
