import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadavg } from 'node:os';
import { transferIdOf } from '../../src/clients/client.events';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { EventStore } from '../../src/events/event-store.service';
import type { EventMetadata, NewEvent } from '../../src/events/event.types';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { createTestUser, seedOrganisations } from '../support/access';
import { startBenchStack } from '../support/bench-stack';
import { startBenchApp, urlOf } from './bench-app';
import { Cleanup } from './cleanup';
import { eachInFlight, percentile } from './latency';
import { OverdrachtApi } from './overdracht-api';
import { signInToPages } from './web-session';

const intFromEnv = (name: string, fallback: number, least = 1, most = Number.MAX_SAFE_INTEGER) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < least || value > most) throw new Error(`${name} must be a whole number from ${least} to ${most}`);
  return value;
};
/** Rotterdam handovers (its 13 districts on successive go-live dates). */
const HANDOVERS = intFromEnv('BENCH_WEB_HANDOVERS', 300, 1, 5_000);
/** Events in the store before the pages are measured (the handovers' own, the rest client transfers). */
const EVENTS = intFromEnv('BENCH_WEB_EVENTS', 1_000_000, 0, 50_000_000);
const CONNECTIONS = intFromEnv('BENCH_WEB_CONNECTIONS', 100, 1, 10_000);
const SECONDS = intFromEnv('BENCH_WEB_SECONDS', 15, 1, 3_600);
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
  log('Starting a Temporal dev server, a database of our own and an SMTP sink ...');
  const [{ temporal, db }, sink] = await Promise.all([
    startBenchStack(cleanup, 'overdracht_web_bench'),
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

  log(`Opening ${HANDOVERS} handovers (each kicked off) ...`);
  const ids = await openHandovers(api, coordinator);
  const handoverEvents = await countEvents(db.admin);
  log(`Filling the store to ${EVENTS.toLocaleString('en')} events with client transfers ...`);
  const fillMs = await fillWithTransfers(app.get(EventStore), ids, EVENTS - handoverEvents);
  const events = await countEvents(db.admin);

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
  ];
  const load = [loadavg()[0]];
  const measured: Measured[] = [];
  for (const target of targets) {
    check();
    log(`Loading ${target.name} (${target.path}): ${CONNECTIONS} connections, ${SECONDS} s ...`);
    measured.push(await loadTarget(baseUrl, target));
  }
  load.push(loadavg()[0]);
  report(measured, { handovers: ids.length, events, fillMs, load });
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
  const metadata: EventMetadata = { actor: { user: 'bench', organisation: 'welzijn-maas', role: 'provider' }, correlationId: randomUUID(), causationId: null };
  const importId = randomUUID();
  let written = 0;
  await eachInFlight(Array.from({ length: transfers }, (_, i) => i), 16, async (i) => {
    const transitionId = transitionIds[i % transitionIds.length];
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
    const events = TRANSFER_STEPS.map((type) => ({ eventId: randomUUID(), type, schemaVersion: 1, data: data[type], metadata }) as NewEvent);
    await store.append(transferIdOf(transitionId, pseudonym), events, { expectedVersion: 0 });
    written += events.length;
    if (written % 70_000 === 0) log(`  ${written.toLocaleString('en')} events (${Math.round(written / ((Date.now() - started) / 1000))}/s)`);
  }, check);
  return Date.now() - started;
}

async function countEvents(admin: DataSource): Promise<number> {
  const [{ n }]: Array<{ n: string }> = await admin.query('SELECT count(*) AS n FROM events');
  return Number(n);
}

/** CONNECTIONS clients request the target for SECONDS; every answer's latency is kept (autocannon reports no p95). */
async function loadTarget(baseUrl: string, target: Target): Promise<Measured> {
  const latencies: number[] = [];
  let failures = 0;
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url: `${baseUrl}${target.path}`, connections: CONNECTIONS, duration: SECONDS, headers: target.headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
  cleanup.add(`autocannon ${target.name}`, async () => instance.stop());
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode > 299) failures += 1;
  });
  const result = await finished;
  latencies.sort((a, b) => a - b);
  return {
    target,
    requests: latencies.length,
    perSecond: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    bytesPerAnswer: latencies.length === 0 ? 0 : result.throughput.total / latencies.length,
    failures: failures + result.errors + result.timeouts,
  };
}

function report(measured: Measured[], run: { handovers: number; events: number; fillMs: number; load: number[] }): void {
  const baseline = measured[0].p95;
  const ms = (value: number) => value.toFixed(1);
  const lines = [
    '',
    `bench:web: ${run.handovers} handovers, ${run.events.toLocaleString('en')} events in the store (fill ${Math.round(run.fillMs / 1000)} s), ` +
      `${CONNECTIONS} connections × ${SECONDS} s per target; load average ${run.load.map((l) => l.toFixed(1)).join(' → ')}`,
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
