import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { ensureTool } from '../../src/devstack/project-tools';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { createTestUser, seedOrganisations } from '../support/access';
import { goLiveInDays } from '../support/plans';
import { freePort, processesMentioning, ServiceProcess } from '../support/service-process';
import { startTemporalDevServer } from '../support/temporal';
import { createBenchDatabase } from './bench-database';
import { Cleanup } from './cleanup';
import { ApiError, OverdrachtApi } from './overdracht-api';

/**
 * `npm run bench:soak`: memory of the service with many open handovers, over time. The service
 * runs as production runs it, one child process with the API and the worker (RUN_WORKER=true),
 * on a Temporal dev server, a bench database of its own on DATABASE_URL's server (default the
 * local one) and an SMTP sink. The bench
 * 1. opens SOAK_HANDOVERS handovers (default 5,000; Rotterdam's districts on successive go-live
 *    dates) and completes each one's kick-off;
 * 2. works them for SOAK_MINUTES (default 10): SOAK_CONCURRENCY clients (default 8) each pick a
 *    handover at random and either complete its next provider task or read it
 *    (`GET /transitions/:id`, from its read model), so every open workflow is touched again
 *    and again by the commands, most of them long after they fell out of the worker's sticky cache;
 * 3. samples the service process's RSS and V8 heaps (its main thread's and the Temporal worker's
 *    workflow threads', summed) every SOAK_SAMPLE_SECONDS (default 10), and
 *    prints them as a table at the end, with the verdict: memory levels off when the highest
 *    RSS of the last third of the working phase is at most 10 % above that of its middle third.
 * The worker settings come from the environment as the service reads them
 * (WORKER_MAX_CACHED_WORKFLOWS, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_MAX_CONCURRENT_ACTIVITIES).
 * Everything it starts is stopped and its database dropped: at the end, after a failure, and on
 * SIGINT / SIGTERM. Not part of `npm test`.
 */

const HANDOVERS = Number(process.env.SOAK_HANDOVERS ?? 5_000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
/** How often each thread of the service reports its memory (memory-reporter.js). */
const REPORT_INTERVAL_MS = Math.min(SAMPLE_SECONDS * 1000, 5_000);
/** Share of the working requests that are reads (the rest complete tasks while there are any). */
const READ_SHARE = 0.7;

const DISTRICTS = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!.districts.map((d) => d.code);
/** After the kick-off, provider tasks that wait for nothing else, in the order the bench completes them. */
const TASKS: Array<[string, 'outgoing' | 'incoming']> = [
  ['staff-agreements', 'outgoing'],
  ['location-agreements', 'incoming'],
  ['client-list', 'outgoing'],
  ['partners-introduced', 'outgoing'],
];

const log = (line: string) => process.stderr.write(`${line}\n`);
const cleanup = new Cleanup(log);
const MiB = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Sample {
  seconds: number;
  phase: 'open' | 'work';
  open: number;
  commands: number;
  reads: number;
  failed: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  threads: number;
  byThread: string;
}

interface Handover {
  id: string;
  nextTask: number;
}

async function main(): Promise<void> {
  process.env.TEMPORAL_CLI = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const marker = `overdracht-soak-${randomBytes(4).toString('hex')}`;
  const workDir = join(tmpdir(), marker);
  mkdirSync(workDir, { recursive: true });
  cleanup.add('the work folder', async () => rmSync(workDir, { recursive: true, force: true }));
  const memoryFile = join(workDir, 'memory.jsonl');

  log(`Soak: ${HANDOVERS} handovers, ${MINUTES} min of work by ${CONCURRENCY} clients, a sample every ${SAMPLE_SECONDS} s`);
  log('Starting a Temporal dev server, a database of our own and an SMTP sink ...');
  const [temporal, db, sink] = await Promise.all([
    cleanup.start('Temporal dev server', startTemporalDevServer(), (server) => server.teardown()),
    createBenchDatabase(serverUrl, 'overdracht_bench_soak', cleanup),
    cleanup.start('SMTP sink', SmtpSink.start(0), (smtp) => smtp.stop()),
  ]);
  await seedOrganisations(db.admin);
  const tokens = {
    coordinator: (await createTestUser(db.app, 'coordinator', 'rotterdam')).token,
    outgoing: (await createTestUser(db.app, 'provider', 'welzijn-maas')).token,
    incoming: (await createTestUser(db.app, 'provider', 'buurtkracht')).token,
  };

  const port = await freePort();
  const passOn = ['WORKER_MAX_CACHED_WORKFLOWS', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 'WORKER_MAX_CONCURRENT_ACTIVITIES'];
  log('Starting the service (API and worker in one process) ...');
  const service = await cleanup.start(
    'the service',
    ServiceProcess.start({
      name: 'service',
      script: 'src/main.ts',
      marker,
      logDir: workDir,
      readyWhen: 'Overdracht is running',
      readyTimeoutMs: 180_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_OPTIONS: `--require ${require.resolve('./memory-reporter.js')}`,
        SOAK_MEMORY_FILE: memoryFile,
        SOAK_MEMORY_INTERVAL_MS: String(REPORT_INTERVAL_MS),
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: marker,
        PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
        CLIENT_ERASURE_LOG: join(workDir, 'client-erasures.log'),
        SMTP_URL: sink.url,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        ...Object.fromEntries(passOn.filter((name) => process.env[name]).map((name) => [name, process.env[name]])),
      },
    }),
    async (started) => {
      await started.stop(30_000);
      for (const pid of processesMentioning(marker)) process.kill(pid, 'SIGKILL');
    },
  );
  const api = new OverdrachtApi(`http://127.0.0.1:${port}`);

  // ---- sampling ---------------------------------------------------------------------------------
  const started = Date.now();
  const handovers: Handover[] = [];
  const counts = { commands: 0, reads: 0, failed: 0 };
  let phase: Sample['phase'] = 'open';
  const samples: Sample[] = [];
  /** The latest line of every thread (main thread and workflow threads): RSS of the process, heaps summed. */
  const lastMemory = () => {
    const latest = new Map<number, { at: number; thread: number; rss: number; heapUsed: number; heapTotal: number }>();
    for (const line of readFileSync(memoryFile, 'utf8').trim().split('\n')) {
      const entry = JSON.parse(line);
      latest.set(entry.thread, entry);
    }
    // A thread that has not reported for three intervals has ended.
    const recent = [...latest.values()].filter((entry) => Date.now() - entry.at < 3 * REPORT_INTERVAL_MS + 1_000);
    return {
      rss: latest.get(0)?.rss ?? 0,
      heapUsed: recent.reduce((sum, entry) => sum + entry.heapUsed, 0),
      heapTotal: recent.reduce((sum, entry) => sum + entry.heapTotal, 0),
      threads: recent.length,
      /** Heap used per thread (MiB), main thread first. */
      byThread: recent.sort((a, b) => a.thread - b.thread).map((entry) => MiB(entry.heapUsed)).join('/'),
    };
  };
  const sample = () => {
    if (!service.running) return;
    const memory = lastMemory();
    samples.push({ seconds: Math.round((Date.now() - started) / 1000), phase, open: handovers.length, ...counts, ...memory });
    const s = samples[samples.length - 1];
    log(`  ${s.seconds} s ${s.phase}: ${s.open} open, ${s.commands} commands, ${s.reads} reads, RSS ${MiB(s.rss)} MiB, heap ${MiB(s.heapUsed)} MiB (${s.byThread})`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_SECONDS * 1000);
  cleanup.add('the sampler', async () => clearInterval(sampler));

  const failed = (error: unknown) => {
    counts.failed += 1;
    if (counts.failed <= 5) log(`  failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
  };

  // ---- 1. open the handovers --------------------------------------------------------------------
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < HANDOVERS; index = next++) {
        cleanup.check();
        const district = DISTRICTS[index % DISTRICTS.length];
        const goLiveDate = goLiveInDays(100 + Math.floor(index / DISTRICTS.length));
        const id = `rotterdam.${district}.${goLiveDate}`;
        try {
          await api.post('/transitions', tokens.coordinator, {
            municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate,
          }, 201);
          await api.post(`/transitions/${id}/tasks/kick-off/complete`, tokens.coordinator, { note: 'soak' }, 200);
          counts.commands += 2;
          handovers.push({ id, nextTask: 0 });
        } catch (error) {
          failed(error);
        }
      }
    }),
  );
  log(`Opened ${handovers.length} handovers in ${Math.round((Date.now() - started) / 1000)} s; working them for ${MINUTES} min ...`);

  // ---- 2. work them -----------------------------------------------------------------------------
  phase = 'work';
  const workStarted = samples.length;
  const until = Date.now() + MINUTES * 60_000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        cleanup.check();
        const handover = handovers[Math.floor(Math.random() * handovers.length)];
        try {
          if (Math.random() >= READ_SHARE && handover.nextTask < TASKS.length) {
            const [task, who] = TASKS[handover.nextTask++];
            await api.post(`/transitions/${handover.id}/tasks/${task}/complete`, tokens[who], { note: 'soak' }, 200);
            counts.commands += 1;
          } else {
            await api.get(`/transitions/${handover.id}`, tokens.coordinator);
            counts.reads += 1;
          }
        } catch (error) {
          if (error instanceof ApiError && error.status === 409) continue; // a task done already
          failed(error);
        }
      }
    }),
  );
  clearInterval(sampler);
  sample();

  // ---- 3. the report ----------------------------------------------------------------------------
  // The service's error lines (redacted JSON, no personal data), so that a failure can be told.
  const errors = service.fullOutput().split('\n').filter((line) => /"level":(50|60)/.test(line));
  if (errors.length > 0) log(`The service logged ${errors.length} error(s); the first:\n${errors.slice(0, 3).map((line) => line.slice(0, 2_000)).join('\n')}`);
  printTable(
    ['t (s)', 'phase', 'open', 'commands', 'reads', 'failed', 'RSS MiB', 'heap used MiB', 'heap total MiB', 'heap used by thread'],
    samples.map((s) => [
      String(s.seconds), s.phase, String(s.open), String(s.commands), String(s.reads), String(s.failed),
      MiB(s.rss), MiB(s.heapUsed), MiB(s.heapTotal), s.byThread,
    ]),
  );
  const work = samples.slice(workStarted);
  const third = Math.floor(work.length / 3);
  if (third < 1) {
    console.log('\nToo few samples in the working phase for a verdict (run longer, or sample more often).');
    return;
  }
  const maxRss = (part: Sample[]) => Math.max(...part.map((s) => s.rss));
  const middle = maxRss(work.slice(third, 2 * third));
  const last = maxRss(work.slice(2 * third));
  const growth = (last - middle) / middle;
  const settings = passOn.map((name) => `${name}=${process.env[name] ?? '(default)'}`).join(', ');
  console.log(
    `\n${handovers.length} handovers, ${counts.commands} commands, ${counts.reads} reads, ${counts.failed} failed; ${settings}\n` +
      `Highest RSS: ${MiB(middle)} MiB in the middle third of the work, ${MiB(last)} MiB in the last third ` +
      `(${(growth * 100).toFixed(1)} %): ${growth <= 0.1 ? 'levels off' : 'still growing'}.`,
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

cleanup.runMain(main);

