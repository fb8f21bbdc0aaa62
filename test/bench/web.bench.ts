import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { transferIdOf } from '../../src/clients/client.events';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { EventStore } from '../../src/events/event-store.service';
import type { EventMetadata, NewEvent } from '../../src/events/event.types';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { createTestUser, seedOrganisations } from '../support/access';
import { startBenchStack } from '../support/bench-stack';
import { startBenchApp, urlOf } from './bench-app';
import { startEmbedded } from './bench-server';
import { Cleanup } from './cleanup';
import { intFromEnv } from './env';
import { eachInFlight } from './latency';
import type { LoadRequest, LoadResult } from './load-process';
import { OverdrachtApi } from './overdracht-api';
import { signInToPages } from './web-session';

/** Rotterdam handovers (its 13 districts on successive go-live dates). */
const HANDOVERS = intFromEnv('BENCH_WEB_HANDOVERS', 300, 1, 5_000);
/** Events in the store before the pages are measured (the handovers' own, the rest client transfers). */
const EVENTS = intFromEnv('BENCH_WEB_EVENTS', 1_000_000, 0, 50_000_000);
const CONNECTIONS = intFromEnv('BENCH_WEB_CONNECTIONS', 100, 1, 10_000);
const SECONDS = intFromEnv('BENCH_WEB_SECONDS', 15, 1, 3_600);
/**
 * Keeps the filled database between runs under this name (`overdracht_kept_<name>`): the next run
 * with the same name and sizes reuses its handovers and events (and tops the events up to
 * EVENTS), instead of filling for minutes again.
 */
const KEEP_DB = process.env.BENCH_WEB_KEEP_DB || undefined;
/** A folder: the app's CPU profile while the targets are loaded is written there (`web-bench-<time>.cpuprofile`). */
const CPU_PROFILE_DIR = process.env.BENCH_WEB_CPU_PROFILE || undefined;
/**
 * `embedded`: the bench's own PostgreSQL cluster (.data/postgres-bench, port
 * BENCH_EMBEDDED_POSTGRES_PORT, started or reused as bench:events does), which no other work
 * shares; otherwise DATABASE_URL's server (default the machine's, 127.0.0.1:5432).
 */
const POSTGRES = process.env.BENCH_WEB_POSTGRES === 'embedded' ? 'embedded' : 'DATABASE_URL';
/** Only the targets whose names contain one of these (comma-separated), besides the static asset. */
const ONLY = (process.env.BENCH_WEB_ONLY ?? '').split(',').map((part) => part.trim()).filter(Boolean);
/**
 * Commits per second while a page or JSON twin is loaded (a client transfer listed, each a commit
 * of its own, as transfers, campaign e-mails and workers commit in a busy deployment): every
 * commit makes the read cache read again. 0 (the default) measures answers from the cache.
 */
const COMMITS_PER_SECOND = intFromEnv('BENCH_WEB_COMMITS_PER_SECOND', 0, 0, 1_000);
/** A pause before each target, so one does not pay for the one before. */
const SETTLE_MS = 2_000;
/** Goal: every page and JSON twin answers at p95 within this many times the static asset's p95. */
const GOAL = 2;

const log = (line: string) => process.stderr.write(`${line}\n`);
const cleanup = new Cleanup(log);
const check = () => cleanup.check();

/** A client transfer from listing to acceptance, as its workflow records it. */
const TRANSFER_STEPS = ['ClientListed', 'ClientInformed', 'ConsentGiven', 'ClientFileTransferred', 'IntakePlanned', 'TransferAccepted', 'TransferFinished'] as const;
const TARGET_GROUPS = ['jeugd', 'ouderen', 'kwetsbare-bewoners', 'overig'] as const;

interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
}

interface Measured {
  target: Target;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  bytesPerAnswer: number;
  failures: number;
}

/**
 * `npm run bench:web`: HANDOVERS handovers and EVENTS events in the store, then each page (the
 * coordinator's overview, a handover's page, the provider's inbox) and its JSON twin loaded by
 * CONNECTIONS concurrent clients for SECONDS each (autocannon), against a static asset served by
 * the same app in the same run (measured first and last). A report: it exits 0 when the goal is
 * missed, 1 only when the benchmark itself fails (a non-2xx answer among them).
 */
async function main(): Promise<void> {
  if (POSTGRES === 'embedded') {
    const embedded = await cleanup.start('embedded PostgreSQL', startEmbedded(), (server) => (server.startedHere ? server.stop() : Promise.resolve()));
    process.env.DATABASE_URL = embedded.url;
  }
  log('Starting a Temporal dev server, a database of our own and an SMTP sink ...');
  const [{ temporal, db }, sink] = await Promise.all([
    startBenchStack(cleanup, 'overdracht_web_bench', { keepDatabase: KEEP_DB }),
    cleanup.start('SMTP sink', SmtpSink.start(0), (smtp) => smtp.stop()),
  ]);
  await seedOrganisations(db.admin);
  const coordinator = (await createTestUser(db.app, 'coordinator', 'rotterdam')).token;
  const provider = (await createTestUser(db.app, 'provider', 'welzijn-maas')).token;
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: 'overdracht-web-bench',
    SMTP_URL: sink.url,
    DEMO_DATA: 'false',
    PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    RUN_WORKER: 'true',
  });
  const app = await cleanup.start('Overdracht app', startBenchApp(), (started) => started.close());
  const baseUrl = urlOf(app);
  const api = new OverdrachtApi(baseUrl);

  const kept = await handoversIn(db.admin);
  if (kept.length > 0 && kept.length !== HANDOVERS) {
    throw new Error(`the kept database ${db.name} holds ${kept.length} handovers, not ${HANDOVERS}: use another BENCH_WEB_KEEP_DB or drop it`);
  }
  if (kept.length > 0) log(`Reusing the ${kept.length} handovers of the kept database ${db.name} ...`);
  else log(`Opening ${HANDOVERS} handovers (each kicked off) ...`);
  const ids = kept.length > 0 ? kept : await openHandovers(api, coordinator);
  const before = await countEvents(db.admin);
  if (before < EVENTS) log(`Filling the store from ${before.toLocaleString('en')} to ${EVENTS.toLocaleString('en')} events with client transfers ...`);
  const fillMs = before < EVENTS ? await fillWithTransfers(app.get(EventStore), ids, EVENTS - before) : 0;
  const events = await countEvents(db.admin);
  // What autovacuum does on a server by the time a store is this full (it may be off on a shared test server: it is on this machine's).
  log('Vacuuming and analysing the database ...');
  await db.admin.query('VACUUM (ANALYZE)');

  const [coordinatorSession, providerSession] = await Promise.all([signInToPages(baseUrl, coordinator), signInToPages(baseUrl, provider)]);
  const overviewHtml = await (await fetch(`${baseUrl}/`, { headers: { cookie: coordinatorSession } })).text();
  // The service's own style sheet (the smallest it links; the design system's are larger).
  const asset = /href="(\/assets\/[^"]+\/site\.css)"/.exec(overviewHtml)?.[1];
  if (!asset) throw new Error('the overview links no site.css under /assets/');
  const handover = ids.find((id) => id.includes('.feijenoord.')) ?? ids[0];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookie = (session: string) => ({ cookie: session });
  const targets: Target[] = [
    { name: 'static asset (first)', path: asset, headers: {} },
    { name: 'overview page /', path: '/', headers: cookie(coordinatorSession) },
    { name: 'GET /transitions', path: '/transitions', headers: bearer(coordinator) },
    { name: 'handover page', path: `/overdrachten/${handover}`, headers: cookie(coordinatorSession) },
    { name: 'GET /transitions/:id', path: `/transitions/${handover}`, headers: bearer(coordinator) },
    { name: 'inbox page /taken', path: '/taken', headers: cookie(providerSession) },
    { name: 'GET /me/tasks', path: '/me/tasks', headers: bearer(provider) },
    { name: 'static asset (last)', path: asset, headers: {} },
  ].filter((target) => ONLY.length === 0 || target.path.startsWith('/assets/') || ONLY.some((part) => target.name.includes(part)));
  const loader = await startLoader();
  const profile = CPU_PROFILE_DIR ? await startProfile() : undefined;
  const load = [loadavg()[0]];
  const measured: Measured[] = [];
  let commits = 0;
  for (const target of targets) {
    check();
    // What the target before left behind (answers still being written to closed connections, garbage) settles first.
    await delay(SETTLE_MS);
    log(`Loading ${target.name} (${target.path}): ${CONNECTIONS} connections, ${SECONDS} s ...`);
    const committing = COMMITS_PER_SECOND > 0 && !target.path.startsWith('/assets/') ? startCommitting(app.get(EventStore), ids) : undefined;
    measured.push(await loadTarget(loader, baseUrl, target));
    commits += (await committing?.stop()) ?? 0;
  }
  load.push(loadavg()[0]);
  if (profile) log(`CPU profile of the app: ${await profile.stop()}`);
  report(measured, { handovers: ids.length, events, fillMs, load, commits });
  const failed = measured.filter((m) => m.failures > 0);
  if (failed.length > 0) throw new Error(`non-2xx answers: ${failed.map((m) => `${m.target.name} ${m.failures}`).join(', ')}`);
}

/** Rotterdam's districts on successive go-live dates, 120 days ahead and on; each kicked off. */
async function openHandovers(api: OverdrachtApi, coordinator: string): Promise<string[]> {
  const districts = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!.districts.map((d) => d.code);
  const today = amsterdamDate(Date.now());
  const plans = Array.from({ length: HANDOVERS }, (_, i) => ({
    district: districts[i % districts.length],
    goLiveDate: addDays(today, 120 + Math.floor(i / districts.length)),
  }));
  const ids: string[] = [];
  await eachInFlight(plans, 8, async ({ district, goLiveDate }) => {
    await api.post(
      '/transitions',
      coordinator,
      { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate },
      201,
    );
    const id = `rotterdam.${district}.${goLiveDate}`;
    await api.post(`/transitions/${id}/tasks/kick-off/complete`, coordinator, { note: 'start' }, 200);
    ids.push(id);
    if (ids.length % 50 === 0) log(`  ${ids.length} open`);
  }, check);
  return ids.sort();
}

/**
 * Client transfers taken from listing to acceptance, written through the service's event store
 * (the same append, hash chain and inline projections as the transfer workflows' activities),
 * spread over the handovers, until `count` more events are stored. Not through the workflows:
 * that would take hours, and the pages read read models only.
 */
async function fillWithTransfers(store: EventStore, transitionIds: string[], count: number): Promise<number> {
  const started = Date.now();
  const transfers = Math.max(0, Math.ceil(count / TRANSFER_STEPS.length));
  const importId = randomUUID();
  let written = 0;
  await eachInFlight(Array.from({ length: transfers }, (_, i) => i), 16, async (i) => {
    written += await appendTransfer(store, transitionIds[i % transitionIds.length], i, importId, TRANSFER_STEPS);
    if (written % 70_000 === 0) log(`  ${written.toLocaleString('en')} events (${Math.round(written / ((Date.now() - started) / 1000))}/s)`);
  }, check);
  return Date.now() - started;
}

/** One client transfer of a handover taken through `steps` in one append; answers the events written. */
async function appendTransfer(store: EventStore, transitionId: string, i: number, importId: string, steps: ReadonlyArray<(typeof TRANSFER_STEPS)[number]>): Promise<number> {
  const metadata: EventMetadata = { actor: { user: 'bench', organisation: 'welzijn-maas', role: 'provider' }, correlationId: randomUUID(), causationId: null };
  const [municipality, district] = transitionId.split('.');
  const pseudonym = randomBytes(10).toString('hex');
  const date = amsterdamDate(Date.now());
  const data: Record<(typeof TRANSFER_STEPS)[number], Record<string, unknown>> = {
    ClientListed: {
      transitionId,
      pseudonym,
      importId,
      targetGroup: TARGET_GROUPS[i % TARGET_GROUPS.length],
      municipality,
      district,
      outgoingProvider: 'welzijn-maas',
      incomingProvider: 'buurtkracht',
    },
    ClientInformed: { pseudonym, date, channel: 'letter' },
    ConsentGiven: { pseudonym, date },
    ClientFileTransferred: { pseudonym, fileId: randomUUID(), mediaType: 'application/pdf', bytes: 1_024 },
    IntakePlanned: { pseudonym, date },
    TransferAccepted: { pseudonym, date },
    TransferFinished: { pseudonym, outcome: 'accepted' },
  };
  const events = steps.map((type) => ({ eventId: randomUUID(), type, schemaVersion: 1, data: data[type], metadata }) as NewEvent);
  await store.append(transferIdOf(transitionId, pseudonym), events, { expectedVersion: 0 });
  return events.length;
}

/** COMMITS_PER_SECOND appends (a client listed on one of the handovers) until stopped; `stop` answers how many were made. */
function startCommitting(store: EventStore, transitionIds: string[]): { stop: () => Promise<number> } {
  let stopped = false;
  let commits = 0;
  const importId = randomUUID();
  const committing = (async () => {
    const started = Date.now();
    while (!stopped) {
      await appendTransfer(store, transitionIds[commits % transitionIds.length], commits, importId, ['ClientListed']);
      commits += 1;
      await delay(Math.max(0, started + (commits * 1_000) / COMMITS_PER_SECOND - Date.now()));
    }
  })();
  // A failed append surfaces at stop (not as an unhandled rejection meanwhile).
  committing.catch(() => undefined);
  return {
    stop: async () => {
      stopped = true;
      await committing;
      return commits;
    },
  };
}

async function countEvents(admin: DataSource): Promise<number> {
  const [{ n }]: Array<{ n: string }> = await admin.query('SELECT count(*) AS n FROM events');
  return Number(n);
}

/** The handovers in the store (a kept database's), by id. */
async function handoversIn(admin: DataSource): Promise<string[]> {
  const rows: Array<{ id: string }> = await admin.query('SELECT transition_id AS id FROM transition_summaries ORDER BY transition_id');
  return rows.map((row) => row.id);
}

/**
 * The load generator (test/bench/load-process.ts) in a process of its own: autocannon's clients
 * must not share the app's event loop (nor its two cores' share of this process).
 */
async function startLoader(): Promise<ChildProcess> {
  return cleanup.start(
    'load generator',
    Promise.resolve(fork(join(__dirname, 'load-process.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: 'inherit' })),
    async (child) => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  );
}

/** The app's (this process's) CPU profile from now until `stop`, written to CPU_PROFILE_DIR. */
async function startProfile(): Promise<{ stop: () => Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = join(CPU_PROFILE_DIR!, `web-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}

/** CONNECTIONS clients request the target for SECONDS, from the load generator's process. */
async function loadTarget(loader: ChildProcess, baseUrl: string, target: Target): Promise<Measured> {
  const request: LoadRequest = { url: `${baseUrl}${target.path}`, connections: CONNECTIONS, seconds: SECONDS, headers: target.headers };
  const answer = await new Promise<{ result?: LoadResult; error?: string }>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
    loader.once('exit', exited);
    loader.once('message', (message: { result?: LoadResult; error?: string }) => {
      loader.off('exit', exited);
      resolve(message);
    });
    loader.send(request);
  });
  if (!answer.result) throw new Error(`the load generator failed: ${answer.error}`);
  const { requests, p50, p95, p99, bytes, failures } = answer.result;
  return {
    target,
    requests,
    perSecond: requests / SECONDS,
    p50,
    p95,
    p99,
    bytesPerAnswer: requests === 0 ? 0 : bytes / requests,
    failures,
  };
}

function report(measured: Measured[], run: { handovers: number; events: number; fillMs: number; load: number[]; commits: number }): void {
  const baseline = measured[0].p95;
  const ms = (value: number) => value.toFixed(1);
  const lines = [
    '',
    `bench:web: ${run.handovers} handovers, ${run.events.toLocaleString('en')} events in the store (fill ${Math.round(run.fillMs / 1000)} s), ` +
      `${CONNECTIONS} connections × ${SECONDS} s per target; load average ${run.load.map((l) => l.toFixed(1)).join(' → ')}` +
      (COMMITS_PER_SECOND > 0 ? `; ${run.commits.toLocaleString('en')} commits while loading pages and JSON twins (${COMMITS_PER_SECOND}/s asked)` : ''),
    '',
    '| target | requests/s | p50 ms | p95 ms | p99 ms | KB per answer | p95 ÷ static p95 | within 2× |',
    '|---|---|---|---|---|---|---|---|',
    ...measured.map((m) => {
      const ratio = m.p95 / baseline;
      const isStatic = m.target.path.startsWith('/assets/');
      return `| ${m.target.name} | ${Math.round(m.perSecond)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${(m.bytesPerAnswer / 1024).toFixed(1)} | ${ratio.toFixed(2)} | ${isStatic ? '(baseline)' : ratio <= GOAL ? 'yes' : 'NO'} |`;
    }),
    '',
  ];
  const missed = measured.filter((m) => !m.target.path.startsWith('/assets/') && m.p95 / baseline > GOAL);
  lines.push(missed.length === 0 ? `Goal met: every page and JSON twin at p95 ≤ ${GOAL}× the static asset's.` : `Goal missed by: ${missed.map((m) => m.target.name).join(', ')}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

cleanup.runMain(main);
