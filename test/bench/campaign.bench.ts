/**
 * `npm run bench:campaign [recipients]`: a resident campaign run for real against raw baselines in
 * the same run (issue 10, item 7).
 *
 * - E-mail: N subscribers (sealed in the SubscriberVault) of one handover, through the campaign
 *   workflow (approval, freeze, pages of `sendEmailPage`, continue-as-new) on a Temporal dev server
 *   and the service's own worker process (src/worker.ts), into the project's SMTP sink, against raw
 *   pooled nodemailer (the same pool size) sending the same messages (rendered by the same
 *   renderCampaignEmail, with the same kind of Message-ID) to the same sink.
 * - Letters: N addresses of another handover, rendered by the campaign into print files of 1,000
 *   (ledger, addressees, PDF, manifest, stored), against the raw renderer (`renderLetterBatch`,
 *   pdfkit) rendering the same template for the same addressees in batches of 1,000.
 *
 * Ratio = baseline time / campaign time (goal ≥ 0.8). The worker's RSS and heap are sampled every
 * second. The SMTP sink runs in a process of its own (smtp-sink-process.ts), so neither sender
 * shares a thread with its parsing; the baselines run in this process, the campaign in the worker.
 *
 * Settings (environment): BENCH_CAMPAIGN_RECIPIENTS (100,000; or the first argument), per phase
 * BENCH_CAMPAIGN_EMAILS / BENCH_CAMPAIGN_LETTERS (0 skips that phase), BENCH_CAMPAIGN_CONNECTIONS
 * (CAMPAIGN_SMTP_MAX_CONNECTIONS, 5), BENCH_CAMPAIGN_PAGE (CAMPAIGN_EMAIL_PAGE_SIZE, 500),
 * DATABASE_URL (the PostgreSQL server to make the bench database on; default the local one).
 * Everything it starts (Temporal, the database, the sink, the worker) is stopped and dropped at
 * the end, after a failure and on Ctrl-C. A report: exits 0 when a goal is missed, 1 only when the
 * benchmark itself fails.
 */
import 'reflect-metadata';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createTransport } from 'nodemailer';
import { Client as PgClient } from 'pg';
import { SubscriberVault } from '../../src/campaigns/audiences/subscriber-vault';
import type { CampaignMessageFields, LetterAddressee } from '../../src/campaigns/campaign-message';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { renderCampaignEmail } from '../../src/campaigns/email/campaign-email';
import { renderLetterBatch } from '../../src/campaigns/letters/letter-pdf';
import { CURRENT_TEMPLATE_VERSION } from '../../src/campaigns/letters/letter-template';
import { SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';
import { campaignMessageId, mailDomainOf } from '../../src/campaigns/sending';
import { projectRoot } from '../../src/config/paths';
import type { Actor } from '../../src/events/event.types';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { approveCampaignUpdate, campaignDraftedUpdate, CampaignStart, campaignStatusQuery } from '../../workflows/campaign/definitions';
import { campaignWorkflow } from '../../workflows/campaign/workflow';
import { startBenchStack } from '../support/bench-stack';
import { TemporalCli } from '../support/temporal-cli';
import type { BenchDatabase } from './bench-database';
import { Cleanup } from './cleanup';
import { intFromEnv } from './env';
import { childrenNamed, CpuOfProcesses } from './cpu-sampler';

const RECIPIENTS = process.argv[2] ? Number(process.argv[2]) : intFromEnv('BENCH_CAMPAIGN_RECIPIENTS', 100_000);
if (!Number.isInteger(RECIPIENTS) || RECIPIENTS < 1) throw new Error('recipients: a whole number ≥ 1');
const EMAILS = intFromEnv('BENCH_CAMPAIGN_EMAILS', RECIPIENTS, 0);
const LETTERS = intFromEnv('BENCH_CAMPAIGN_LETTERS', RECIPIENTS, 0);
const CONNECTIONS = intFromEnv('BENCH_CAMPAIGN_CONNECTIONS', 5);
const PAGE = intFromEnv('BENCH_CAMPAIGN_PAGE', 500);
/** The raw baseline keeps this many messages handed to the pool (its queue never runs dry). */
const RAW_IN_FLIGHT = 1_000;
const LETTERS_PER_FILE = 1_000;
/** Subscribers sealed and stored per transaction while seeding (not measured). */
const SEED_CHUNK = 5_000;
const GOAL = 0.8;
const FROM = 'Gemeente Rotterdam <wijkinfo@rotterdam.example>';
const TASK_QUEUE = 'overdracht-campaign-bench';
const coordinator: Actor = { user: 'bench-coordinator', organisation: 'rotterdam', role: 'coordinator' };

const log = (line: string) => process.stderr.write(`${line}\n`);
const cleanup = new Cleanup(log);
const check = () => cleanup.check();
const now = () => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------------------------------------
// Child processes: the SMTP sink and the worker, each forked with an IPC channel.

interface Forked {
  child: ChildProcess;
  exited: Promise<void>;
  logFile: string;
}

function forkTs(script: string, env: NodeJS.ProcessEnv, logFile: string, nodeOptions: string[] = []): Forked {
  const child = fork(join(projectRoot, script), [], {
    cwd: projectRoot,
    env,
    execArgv: [...nodeOptions, '-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const out = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should this process die without its cleanup, the children go too.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.removeListener('exit', orphanGuard));
  return { child, exited, logFile };
}

async function stopForked({ child, exited }: Forked, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(forced);
}

const tail = (file: string) => {
  try {
    return readFileSync(file, 'utf8').slice(-3_000);
  } catch {
    return '';
  }
};

interface Sink {
  url: string;
  pid: number;
  /** Messages arrived whose Message-ID starts with `prefix`, distinct Message-IDs among them, and repeats. */
  count(prefix: string): Promise<{ received: number; distinct: number; repeats: number }>;
}

async function startSink(workDir: string): Promise<Sink> {
  const forked = await cleanup.start(
    'SMTP sink',
    Promise.resolve(forkTs('test/bench/smtp-sink-process.ts', process.env, join(workDir, 'smtp-sink.log'))),
    (f) => {
      if (f.child.connected) f.child.send({ type: 'stop' });
      return stopForked(f, 5_000);
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    forked.child.once('message', (message: { url: string }) => resolve(message.url));
    void forked.exited.then(() => reject(new Error(`the SMTP sink exited before it listened:\n${tail(forked.logFile)}`)));
  });
  return {
    url,
    pid: forked.child.pid!,
    count: (prefix) =>
      new Promise((resolve) => {
        const listener = (message: { type: string; received: number; distinct: number; repeats: number }) => {
          if (message.type !== 'count') return;
          forked.child.off('message', listener);
          resolve(message);
        };
        forked.child.on('message', listener);
        forked.child.send({ type: 'count', prefix });
      }),
  };
}

interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

interface Worker {
  pid: number;
  samples: MemorySample[];
  /** The heap right after a full collection, every 15 s. */
  live: Array<{ at: number; heapUsed: number }>;
}

async function startWorker(env: NodeJS.ProcessEnv, workDir: string): Promise<Worker> {
  const forked = await cleanup.start('worker', Promise.resolve(forkTs('test/bench/worker-process.ts', env, join(workDir, 'worker.log'), ['--expose-gc'])), (f) =>
    stopForked(f),
  );
  const samples: MemorySample[] = [];
  const live: Worker['live'] = [];
  forked.child.on('message', (message: { type: string } & MemorySample) => {
    if (message.type === 'memory') samples.push({ at: message.at, rss: message.rss, heapUsed: message.heapUsed });
    if (message.type === 'live') live.push({ at: message.at, heapUsed: message.heapUsed });
  });
  let output = '';
  forked.child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
  const deadline = Date.now() + 300_000;
  while (!output.includes('Temporal worker polling')) {
    check();
    if (forked.child.exitCode !== null || forked.child.signalCode !== null) throw new Error(`the worker exited before it was ready:\n${tail(forked.logFile)}`);
    if (Date.now() > deadline) throw new Error(`the worker was not ready after 300 s:\n${tail(forked.logFile)}`);
    await delay(200);
  }
  return { pid: forked.child.pid!, samples, live };
}

// ---------------------------------------------------------------------------------------------
// Seeding (not measured): subscribers through the vault, addresses as an import stores them.

const subscriberOf = (i: number) => ({ email: `bewoner-${i}@example.test`, name: `Bewoner ${i}`, address: null });

/** Address number i (1-based) of the letters' handover: postcode 3000 KD and up, 500 numbers each, so i is also print order. */
function addressOf(i: number) {
  return { street: 'Beijerlandselaan', houseNumber: ((i - 1) % 500) + 1, addition: '', postcode: `${3000 + Math.floor((i - 1) / 500)} KD`, city: 'Rotterdam' };
}

async function newImport(db: BenchDatabase, transitionId: string, kind: 'subscribers' | 'addresses', rows: number): Promise<string> {
  const importId = randomUUID();
  await db.app.query(
    `INSERT INTO audience_imports (import_id, transition_id, kind, organisation, file_hash, rows, new_rows) VALUES ($1, $2, $3, 'rotterdam', $4, $5, $5)`,
    [importId, transitionId, kind, randomBytes(32), rows],
  );
  return importId;
}

async function seedSubscribers(db: BenchDatabase, vault: SubscriberVault, transitionId: string, count: number): Promise<void> {
  const importId = await newImport(db, transitionId, 'subscribers', count);
  for (let first = 1; first <= count; first += SEED_CHUNK) {
    check();
    const rows = Array.from({ length: Math.min(SEED_CHUNK, count - first + 1) }, (_, k) => subscriberOf(first + k));
    await db.app.transaction((manager) => vault.store(manager, transitionId, rows, importId));
  }
}

async function seedAddresses(db: BenchDatabase, transitionId: string, count: number): Promise<void> {
  const importId = await newImport(db, transitionId, 'addresses', count);
  for (let first = 1; first <= count; first += 10_000) {
    check();
    const rows = Array.from({ length: Math.min(10_000, count - first + 1) }, (_, k) => addressOf(first + k));
    await db.app.query(
      `INSERT INTO resident_addresses (address_id, transition_id, import_id, street, house_number, addition, postcode, city)
       SELECT gen_random_uuid(), $1, $2, s, n, a, p, c FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS t (s, n, a, p, c)`,
      [
        transitionId,
        importId,
        rows.map((r) => r.street),
        rows.map((r) => r.houseNumber),
        rows.map((r) => r.addition),
        rows.map((r) => r.postcode),
        rows.map((r) => r.city),
      ],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The campaign, started and approved as the coordinator would through the API.

interface Handover {
  transitionId: string;
  district: string;
  goLiveDate: string;
  fields: CampaignMessageFields;
}

function handover(district: string, name: string): Handover {
  const goLiveDate = addDays(amsterdamDate(Date.now()), 200);
  return {
    transitionId: `rotterdam.${district}.${goLiveDate}`,
    district,
    goLiveDate,
    fields: { ...SAMPLE_MESSAGE_FIELDS, district: name, goLiveDate },
  };
}

async function draftCampaign(client: Client, h: Handover) {
  const campaignId = randomUUID();
  const start: CampaignStart = {
    campaignId,
    handover: { transitionId: h.transitionId, municipality: 'rotterdam', district: h.district, goLiveDate: h.goLiveDate },
    templateVersion: CURRENT_TEMPLATE_VERSION,
    fields: h.fields,
    deadline: addDays(h.goLiveDate, -14),
    requestedBy: coordinator,
    correlationId: randomUUID(),
    limits: { emailPage: PAGE },
  };
  const workflowId = campaignIdOf(h.transitionId, campaignId);
  const drafted = await client.workflow.executeUpdateWithStart(campaignDraftedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(campaignWorkflow, { workflowId, taskQueue: TASK_QUEUE, args: [start], workflowIdConflictPolicy: 'FAIL' }),
  });
  const handle = client.workflow.getHandle<typeof campaignWorkflow>(workflowId);
  const approve = () => handle.executeUpdate(approveCampaignUpdate, { args: [{ actor: coordinator, actingFor: ['rotterdam'], expectedVersion: drafted.streamVersion }] });
  return { campaignId, workflowId, handle, approve };
}

/** When the campaign's ledger was frozen, its pages and batches, from its events (recorded at workflow time). */
async function campaignEvents(db: BenchDatabase, workflowId: string) {
  const rows: Array<{ type: string; at: Date }> = await db.admin.query(
    `SELECT type, recorded_at AS at FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [workflowId],
  );
  const first = (type: string) => rows.find((row) => row.type === type)?.at.getTime();
  return {
    approvedAt: first('CampaignApproved'),
    frozenAt: first('RecipientsFrozen'),
    pages: rows.filter((row) => row.type === 'EmailPageSent').length,
    batches: rows.filter((row) => row.type === 'LetterBatchRendered').length,
    events: rows.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface Memory {
  samples: number;
  rss: { min: number; max: number; last: number };
  heap: { min: number; max: number; last: number };
  /** Peak of the first and of the last third of the phase. */
  rssThirds: [number, number];
  heapThirds: [number, number];
  flat: boolean;
  /** Heap after a full collection (every 15 s): min / max / last, MiB; undefined when the phase was shorter. */
  live?: { min: number; max: number; last: number; samples: number };
}

function memoryOf(worker: Worker, from: number, to: number): Memory | undefined {
  const within = worker.samples.filter((s) => s.at >= from && s.at <= to);
  const liveWithin = worker.live.filter((s) => s.at >= from && s.at <= to).map((s) => s.heapUsed);
  if (within.length === 0) return undefined;
  const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values), last: values[values.length - 1] });
  const third = Math.max(1, Math.floor(within.length / 3));
  const peak = (part: MemorySample[], key: 'rss' | 'heapUsed') => Math.max(...part.map((s) => s[key]));
  const early = within.slice(0, third);
  const late = within.slice(-third);
  const rssThirds: [number, number] = [peak(early, 'rss'), peak(late, 'rss')];
  const heapThirds: [number, number] = [peak(early, 'heapUsed'), peak(late, 'heapUsed')];
  // Levels off: the last third peaks no more than 10 % (or 16 MiB) above the first third's peak.
  const flatWithin = ([a, b]: [number, number]) => b <= Math.max(a * 1.1, a + 16 * 1024 * 1024);
  return {
    samples: within.length,
    rss: range(within.map((s) => s.rss)),
    heap: range(within.map((s) => s.heapUsed)),
    rssThirds,
    heapThirds,
    // What the worker holds is the heap after a full collection (heapUsed also counts garbage not
    // yet collected, which V8 lets grow with the allocation rate): flat when its last reading is
    // within 10 % (or 16 MiB) of its lowest. Without two such readings: RSS and heap peaks by thirds.
    flat:
      liveWithin.length >= 2
        ? flatWithin([Math.min(...liveWithin), liveWithin[liveWithin.length - 1]])
        : within.length >= 6
          ? flatWithin(rssThirds) && flatWithin(heapThirds)
          : true,
    live: liveWithin.length > 0 ? { ...range(liveWithin), samples: liveWithin.length } : undefined,
  };
}

interface PhaseResult {
  what: string;
  n: number;
  rawMs: number;
  campaignMs: number;
  /** Of the campaign's time: approval to the ledger frozen. */
  freezeMs?: number;
  /** E-mail pages or letter batches (activities) and workflow runs (continue-as-new). */
  units: number;
  runs: number;
  events: number;
  memory?: Memory;
  /** CPU time, ms, of the processes doing the work while each side ran (see cpuMeter). */
  rawCpu: CpuUse;
  campaignCpu: CpuUse;
  profile: ActivityProfile;
  check: string;
}

interface CpuUse {
  /** This process (the raw baseline), the worker, the SMTP sink, the Temporal server, PostgreSQL's backends of the bench database. */
  bench: number;
  worker: number;
  sink: number;
  temporal: number;
  postgres: number;
}
const cpuTotal = (c: CpuUse) => c.bench + c.worker + c.sink + c.temporal + c.postgres;

/**
 * Starts counting the CPU time of every process taking part: this one, the worker, the sink, the
 * Temporal dev server and the bench database's PostgreSQL backends (sampled every second: a lower bound).
 */
function cpuMeter(ctx: Context): { stop: () => Promise<CpuUse> } {
  const bench = process.cpuUsage();
  const of = (pid: number) => () => [pid];
  const meters = {
    worker: new CpuOfProcesses(of(ctx.worker.pid)),
    sink: new CpuOfProcesses(of(ctx.sink.pid)),
    temporal: new CpuOfProcesses(() => childrenNamed('temporal')),
    postgres: new CpuOfProcesses(async () =>
      (await ctx.pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows.map((row) => row.pid),
    ),
  };
  const sampleAll = () => Promise.all(Object.values(meters).map((m) => m.sample())).then(() => undefined);
  let sampling = sampleAll();
  const timer = setInterval(() => (sampling = sampling.then(sampleAll).catch(() => undefined)), 1_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await sampling;
      await sampleAll();
      const used = process.cpuUsage(bench);
      return {
        bench: (used.user + used.system) / 1000,
        worker: meters.worker.used() ?? 0,
        sink: meters.sink.used() ?? 0,
        temporal: meters.temporal.used() ?? 0,
        postgres: meters.postgres.used() ?? 0,
      };
    },
  };
}

/** Where the campaign's time went, from its histories (every run): per activity type, its count, run and dispatch time; workflow tasks. */
interface ActivityProfile {
  activities: Map<string, { count: number; runMs: number; dispatchMs: number }>;
  workflowTasks: { count: number; runMs: number; dispatchMs: number };
  historyEvents: number[];
}

async function profileOf(ctx: Context, workflowId: string): Promise<ActivityProfile> {
  const profile: ActivityProfile = { activities: new Map(), workflowTasks: { count: 0, runMs: 0, dispatchMs: 0 }, historyEvents: [] };
  const at = (event: { eventTime?: { seconds?: unknown; nanos?: number | null } | null } | undefined) =>
    event?.eventTime ? Number(event.eventTime.seconds ?? 0) * 1000 + (event.eventTime.nanos ?? 0) / 1e6 : NaN;
  for (const { execution } of await ctx.cli.list(`WorkflowId = '${workflowId}'`)) {
    const events = (await ctx.client.workflow.getHandle(workflowId, execution.runId).fetchHistory()).events ?? [];
    profile.historyEvents.push(events.length);
    const byId = new Map(events.map((event) => [Number(event.eventId), event]));
    for (const event of events) {
      const done = event.activityTaskCompletedEventAttributes;
      if (done) {
        const scheduled = byId.get(Number(done.scheduledEventId));
        const started = byId.get(Number(done.startedEventId));
        const name = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        const entry = profile.activities.get(name) ?? { count: 0, runMs: 0, dispatchMs: 0 };
        entry.count++;
        entry.runMs += at(event) - at(started);
        entry.dispatchMs += at(started) - at(scheduled);
        profile.activities.set(name, entry);
      }
      const task = event.workflowTaskCompletedEventAttributes;
      if (task) {
        const scheduled = byId.get(Number(task.scheduledEventId));
        const started = byId.get(Number(task.startedEventId));
        profile.workflowTasks.count++;
        profile.workflowTasks.runMs += at(event) - at(started);
        profile.workflowTasks.dispatchMs += at(started) - at(scheduled);
      }
    }
  }
  return profile;
}

async function rawEmail(sink: Sink, fields: CampaignMessageFields, n: number): Promise<number> {
  const rawCampaign = randomUUID();
  const domain = mailDomainOf(FROM);
  const transport = createTransport({ url: sink.url, pool: true, maxConnections: CONNECTIONS, maxMessages: 100, logger: false } as Parameters<
    typeof createTransport
  >[0]);
  const started = now();
  try {
    let next = 1;
    const lane = async () => {
      while (next <= n) {
        const i = next++;
        if (i % 1_000 === 0) check();
        const { email, name } = subscriberOf(i);
        const message = renderCampaignEmail(fields, CURRENT_TEMPLATE_VERSION, name);
        await transport.sendMail({ from: FROM, to: email, ...message, messageId: campaignMessageId(rawCampaign, i, domain) });
      }
    };
    await Promise.all(Array.from({ length: RAW_IN_FLIGHT }, lane));
  } finally {
    transport.close();
  }
  const ms = now() - started;
  const arrived = await sink.count(`<campaign.${rawCampaign}.`);
  if (arrived.distinct !== n) throw new Error(`raw nodemailer: ${arrived.distinct} of ${n} messages arrived`);
  return ms;
}

async function rawLetters(fields: CampaignMessageFields, n: number): Promise<number> {
  const createdAt = new Date();
  const started = now();
  for (let first = 1; first <= n; first += LETTERS_PER_FILE) {
    check();
    const addressees: LetterAddressee[] = Array.from({ length: Math.min(LETTERS_PER_FILE, n - first + 1) }, (_, k) => {
      const a = addressOf(first + k);
      return {
        recipientId: `address:${first + k}`,
        addressLines: ['Aan de bewoners van', `${a.street} ${a.houseNumber}`, `${a.postcode}  ${a.city.toUpperCase()}`],
        postcode: a.postcode,
        houseNumber: a.houseNumber,
        addition: a.addition,
        salutation: '',
      };
    });
    await renderLetterBatch(fields, CURRENT_TEMPLATE_VERSION, addressees, { createdAt });
  }
  return now() - started;
}

async function runsOf(cli: TemporalCli, workflowId: string): Promise<number> {
  return (await cli.list(`WorkflowId = '${workflowId}'`)).length;
}

async function emailPhase(ctx: Context, h: Handover, n: number): Promise<PhaseResult> {
  log(`E-mail, raw: ${n} messages through pooled nodemailer (${CONNECTIONS} connections) to the sink ...`);
  let meter = cpuMeter(ctx);
  const rawMs = await rawEmail(ctx.sink, h.fields, n);
  const rawCpu = await meter.stop();
  log(`  ${(rawMs / 1000).toFixed(1)} s`);

  log(`E-mail, campaign: ${n} subscribers, approval to every e-mail sent ...`);
  const campaign = await draftCampaign(ctx.client, h);
  meter = cpuMeter(ctx);
  const wallFrom = Date.now();
  const started = now();
  await campaign.approve();
  const status = await campaign.handle.result();
  const campaignMs = now() - started;
  const campaignCpu = await meter.stop();
  const wallTo = Date.now();
  log(`  ${(campaignMs / 1000).toFixed(1)} s`);
  if (status.state !== 'completed' || status.emails.sent !== n) throw new Error(`campaign: ${status.state}, ${status.emails.sent} of ${n} sent`);
  const arrived = await ctx.sink.count(`<campaign.${campaign.campaignId}.`);
  if (arrived.distinct !== n) throw new Error(`campaign: ${arrived.distinct} of ${n} messages arrived at the sink`);
  const events = await campaignEvents(ctx.db, campaign.workflowId);
  return {
    what: 'e-mail',
    n,
    rawMs,
    campaignMs,
    freezeMs: events.frozenAt && events.approvedAt ? events.frozenAt - events.approvedAt : undefined,
    units: events.pages,
    runs: await runsOf(ctx.cli, campaign.workflowId),
    events: events.events,
    memory: memoryOf(ctx.worker, wallFrom, wallTo),
    rawCpu,
    campaignCpu,
    profile: await profileOf(ctx, campaign.workflowId),
    check: `${arrived.distinct} distinct Message-IDs at the sink, ${arrived.repeats} repeats; ${status.emails.sent} sent in the ledger`,
  };
}

async function letterPhase(ctx: Context, h: Handover, n: number): Promise<PhaseResult> {
  log(`Letters, raw: ${n} letters rendered by renderLetterBatch (pdfkit) in batches of ${LETTERS_PER_FILE} ...`);
  let meter = cpuMeter(ctx);
  const rawMs = await rawLetters(h.fields, n);
  const rawCpu = await meter.stop();
  log(`  ${(rawMs / 1000).toFixed(1)} s`);

  log(`Letters, campaign: ${n} addresses, approval to every letter rendered into a stored print file ...`);
  const campaign = await draftCampaign(ctx.client, h);
  meter = cpuMeter(ctx);
  const wallFrom = Date.now();
  const started = now();
  await campaign.approve();
  // Read from the read model (the projection of the campaign's events), not by querying the
  // workflow: a query would wait for the worker, whose event loop a batch being rendered holds.
  for (;;) {
    check();
    const [row] = await ctx.db.admin.query('SELECT letters_rendered + skipped AS done FROM campaigns WHERE campaign_id = $1', [campaign.campaignId]);
    if (row && row.done >= n) break;
    await delay(250);
  }
  const campaignMs = now() - started;
  const campaignCpu = await meter.stop();
  const status = await campaign.handle.query(campaignStatusQuery);
  const wallTo = Date.now();
  log(`  ${(campaignMs / 1000).toFixed(1)} s`);
  const [stored] = await ctx.db.admin.query(
    `SELECT count(*)::int AS files, coalesce(sum(letters), 0)::int AS letters, coalesce(sum(length(pdf)), 0)::bigint AS bytes FROM letter_batches WHERE campaign_id = $1`,
    [campaign.campaignId],
  );
  if (stored.letters !== n) throw new Error(`campaign: ${stored.letters} of ${n} letters in print files`);
  const events = await campaignEvents(ctx.db, campaign.workflowId);
  return {
    what: 'letters',
    n,
    rawMs,
    campaignMs,
    freezeMs: events.frozenAt && events.approvedAt ? events.frozenAt - events.approvedAt : undefined,
    units: events.batches,
    runs: await runsOf(ctx.cli, campaign.workflowId),
    events: events.events,
    memory: memoryOf(ctx.worker, wallFrom, wallTo),
    rawCpu,
    campaignCpu,
    profile: await profileOf(ctx, campaign.workflowId),
    check: `${stored.files} print files, ${stored.letters} letters, ${(Number(stored.bytes) / 1e6).toFixed(0)} MB of PDF stored; ${status.letters.skipped} skipped`,
  };
}

interface Context {
  /** One connection of its own for the CPU meter: the raw renderer holds this process's event loop for seconds, longer than a new connection may take. */
  pg: PgClient;
  client: Client;
  cli: TemporalCli;
  db: BenchDatabase;
  sink: Sink;
  worker: Worker;
}

// ---------------------------------------------------------------------------------------------
// The report.

const fixed = (value: number | undefined, digits = 1) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-');
const mib = (bytes: number) => fixed(bytes / 1024 / 1024, 0);

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

function report(results: PhaseResult[], load: [number, number]): void {
  console.log(
    `\nCampaign benchmark: ${CONNECTIONS} SMTP connections, no rate limit, e-mail pages of ${PAGE}, print files of ${LETTERS_PER_FILE}.` +
      `\nThis machine: ${availableParallelism()} CPUs; load average ${fixed(load[0], 2)} when measuring began, ${fixed(load[1], 2)} at the end.` +
      '\nRatio = raw time / campaign time (goal >= 0.8). Memory: the worker process, sampled every second while the campaign ran.\n',
  );
  for (const r of results) {
    const unit = r.what === 'e-mail' ? 'msgs/s' : 'letters/s';
    const rate = (ms: number) => fixed(r.n / (ms / 1000), 0);
    const ratio = r.rawMs / r.campaignMs;
    console.log(`### ${r.what === 'e-mail' ? 'E-mail' : 'Letters'}\n`);
    const m = r.memory;
    printTable(
      ['', 'N', 'time s', unit, 'ratio', 'worker RSS MiB min / max / last', 'worker heap MiB min / max / last', 'memory flat'],
      [
        [r.what === 'e-mail' ? 'raw nodemailer pool' : 'raw renderLetterBatch (pdfkit)', String(r.n), fixed(r.rawMs / 1000), rate(r.rawMs), '1.00', '-', '-', '-'],
        [
          r.what === 'e-mail' ? 'campaign (workflow + ledger + vault)' : 'campaign (workflow + ledger + stored files)',
          String(r.n),
          fixed(r.campaignMs / 1000),
          rate(r.campaignMs),
          `${fixed(ratio, 2)}x`,
          m ? `${mib(m.rss.min)} / ${mib(m.rss.max)} / ${mib(m.rss.last)}` : '-',
          m ? `${mib(m.heap.min)} / ${mib(m.heap.max)} / ${mib(m.heap.last)}` : '-',
          m
            ? `${m.flat ? 'yes' : 'NO'} (RSS peak ${mib(m.rssThirds[0])} → ${mib(m.rssThirds[1])}, heap ${mib(m.heapThirds[0])} → ${mib(m.heapThirds[1])}` +
              (m.live ? `; live heap after GC ${mib(m.live.min)} / ${mib(m.live.max)} / ${mib(m.live.last)}` : '') +
              ')'
            : '-',
        ],
      ],
    );
    console.log(
      `\n${ratio >= GOAL ? 'PASS' : 'FAIL'}  ${fixed(ratio, 2)}x the raw baseline (goal >= ${GOAL}x). ` +
        `Freeze (approval to ledger frozen): ${fixed((r.freezeMs ?? NaN) / 1000, 1)} s; ${r.units} ${r.what === 'e-mail' ? 'pages' : 'print files'}, ` +
        `${r.runs} workflow runs (continue-as-new), ${r.events} events in the campaign's stream. Check: ${r.check}.\n`,
    );
    const cpuRow = (label: string, c: CpuUse, ms: number) => [
      label,
      ...[c.bench, c.worker, c.sink, c.temporal, c.postgres, cpuTotal(c)].map((v) => fixed(v / 1000)),
      fixed(ms / 1000),
    ];
    printTable(
      ['CPU s', 'bench (raw)', 'worker', 'SMTP sink', 'Temporal', 'PostgreSQL', 'total', 'wall s'],
      [cpuRow('raw', r.rawCpu, r.rawMs), cpuRow('campaign', r.campaignCpu, r.campaignMs)],
    );
    console.log(`\nCPU ratio (raw total / campaign total): ${fixed(cpuTotal(r.rawCpu) / cpuTotal(r.campaignCpu), 2)}x. Where the campaign's time went (its histories, ${r.profile.historyEvents.join(' + ')} events):\n`);
    printTable(
      ['', 'count', 'run s (sum)', 'run ms (mean)', 'dispatch s (sum)'],
      [
        ...[...r.profile.activities].map(([name, a]) => [name, String(a.count), fixed(a.runMs / 1000), fixed(a.runMs / a.count, 0), fixed(a.dispatchMs / 1000)]),
        ['workflow tasks', String(r.profile.workflowTasks.count), fixed(r.profile.workflowTasks.runMs / 1000), fixed(r.profile.workflowTasks.runMs / Math.max(1, r.profile.workflowTasks.count), 0), fixed(r.profile.workflowTasks.dispatchMs / 1000)],
      ],
    );
    console.log('');
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const workDir = join(tmpdir(), `overdracht-campaign-bench-${randomBytes(4).toString('hex')}`);
  mkdirSync(workDir, { recursive: true });
  cleanup.add('work folder', async () => rmSync(workDir, { recursive: true, force: true }));

  log('Starting a Temporal dev server, a database of our own and the SMTP sink ...');
  const [{ temporal, db }, sink] = await Promise.all([startBenchStack(cleanup, 'bench_campaign'), startSink(workDir)]);
  const payloadKey = randomBytes(32).toString('base64');
  const masterKey = randomBytes(32).toString('base64');
  const client = new Client({
    connection: temporal.connection,
    namespace: temporal.namespace ?? 'default',
    dataConverter: { payloadCodecs: [new EncryptionCodec(Buffer.from(payloadKey, 'base64'))] },
  });
  const cli = new TemporalCli(temporal.address, temporal.namespace ?? 'default');

  const emails = handover('feijenoord', 'Feijenoord');
  const letters = handover('charlois', 'Charlois');
  log(`Seeding ${EMAILS} subscribers (sealed by the vault) and ${LETTERS} addresses (not measured) ...`);
  const vault = new SubscriberVault(Buffer.from(masterKey, 'base64'), db.app);
  const seeded = now();
  await seedSubscribers(db, vault, emails.transitionId, EMAILS);
  await seedAddresses(db, letters.transitionId, LETTERS);
  await db.admin.query('ANALYZE');
  log(`  ${((now() - seeded) / 1000).toFixed(1)} s`);

  log('Starting the worker (src/worker.ts in a process of its own) ...');
  const worker = await startWorker(
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PAYLOAD_ENCRYPTION_KEY: payloadKey,
      CLIENT_DATA_MASTER_KEY: masterKey,
      CLIENT_ERASURE_LOG: join(workDir, 'client-erasures.log'),
      SMTP_URL: sink.url,
      MAIL_FROM: FROM,
      CAMPAIGN_SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
      CAMPAIGN_SMTP_RATE_PER_SECOND: '0',
      CAMPAIGN_EMAIL_PAGE_SIZE: String(PAGE),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
    },
    workDir,
  );
  const pg = await cleanup.start('CPU meter connection', (async () => {
    const c = new PgClient({ connectionString: db.url });
    await c.connect();
    return c;
  })(), (c) => c.end());
  const ctx: Context = { pg, client, cli, db, sink, worker };
  const load: [number, number] = [loadavg()[0], 0];
  const results: PhaseResult[] = [];
  if (EMAILS > 0) results.push(await emailPhase(ctx, emails, EMAILS));
  if (LETTERS > 0) results.push(await letterPhase(ctx, letters, LETTERS));
  load[1] = loadavg()[0];
  report(results, load);
}

cleanup.runMain(main);
