import { ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { projectPath } from '../../src/config/paths';
import { dataSourceOptions, migrate } from '../../src/database/data-source';
import type { EventMetadata } from '../../src/events/event.types';
import { eventStoreFor } from '../support/event-store';
import { dropDatabase, onServer, reachable, startEmbedded } from './bench-server';
import { measure, WORKLOADS } from './workload';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * `npm run bench:events`: events appended per second by the Overdracht event store, against
 * two baselines on the same PostgreSQL in the same run: plain INSERTs into a table without
 * constraints (the limit) and @event-driven-io/emmett-postgresql (a well-known event store).
 * All three write the same events. PostgreSQL is DATABASE_URL's server, else an embedded one.
 * Medians of three rounds (BENCH_ROUNDS), the contenders taking turns within each round.
 *
 * Whatever the bench creates it removes again: when it ends, when it fails, and on SIGINT or
 * SIGTERM (see Teardown).
 */
async function main(teardown: Teardown): Promise<void> {
  const serverUrl = await startServer(teardown);
  const suffix = randomBytes(4).toString('hex');
  const databases = { ours: `overdracht_bench_${suffix}`, emmett: `emmett_bench_${suffix}` };
  const urlOf = (database: string) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  for (const database of Object.values(databases)) {
    teardown.databases.push(database); // before it exists: an interrupted CREATE is covered too
    await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${database}`));
  }

  const owner = teardown.closing('the owner connection', new DataSource(dataSourceOptions(urlOf(databases.ours), { asAppRole: false })));
  await owner.initialize();
  await migrate(owner);
  await owner.destroy();
  const app = teardown.closing('the application connections', new DataSource(dataSourceOptions(urlOf(databases.ours), { asAppRole: true })));
  await app.initialize();
  const plain = teardown.pool('the plain INSERT connections', new Pool({ connectionString: urlOf(databases.ours), max: 10 }));

  await plain.query('CREATE TABLE plain_events (stream_id text, type text, data jsonb, metadata jsonb)');
  // The store alone (no read models): what emmett offers too, plus the hash chain and idempotency.
  const store = eventStoreFor(app, []);

  const contenders: Record<string, (workload: (typeof WORKLOADS)[number]) => Promise<number>> = {
    'plain INSERT': (workload) =>
      measure(workload, 'plain', (streamId, events) =>
        events.length === 1
          ? plain.query('INSERT INTO plain_events VALUES ($1, $2, $3, $4)', [
              streamId, events[0].type, JSON.stringify(events[0].data), JSON.stringify(events[0].metadata),
            ])
          : plain.query('INSERT INTO plain_events SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[])', [
              events.map(() => streamId), events.map((e) => e.type),
              events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata)),
            ]),
      ),
    Overdracht: (workload) =>
      measure(workload, 'ours', (streamId, events) =>
        store.append(
          streamId,
          events.map((e) => ({
            eventId: e.eventId,
            type: e.type,
            schemaVersion: 1,
            data: e.data,
            metadata: e.metadata as unknown as EventMetadata,
          })),
        ),
      ),
    emmett: async (workload) => {
      const stdout = await teardown.child(
        'the emmett workload',
        ['-r', 'ts-node/register/transpile-only', require.resolve('./emmett-workload'), urlOf(databases.emmett), workload.name],
      );
      return (JSON.parse(stdout.trim().split('\n').pop()!) as { rate: number }).rate;
    },
  };

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows: string[][] = [];
  for (const workload of WORKLOADS) {
    const rates: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, runContender] of Object.entries(contenders)) {
        (rates[name] ??= []).push(await runContender(workload));
      }
    }
    const [limit, ours, peer] = ['plain INSERT', 'Overdracht', 'emmett'].map((name) => median(rates[name]));
    rows.push([
      workload.name,
      limit.toFixed(0),
      ours.toFixed(0),
      peer.toFixed(0),
      (ours / limit).toFixed(2),
      (ours / peer).toFixed(2),
    ]);
    process.stderr.write(`  measured: ${workload.name}\n`);
  }
  printTable(
    [`workload (events/s, median of ${ROUNDS})`, 'plain INSERT', 'Overdracht', 'emmett', 'Overdracht / plain', 'Overdracht / emmett'],
    rows,
  );
}

/** DATABASE_URL's server, else the embedded one (started here, or reused when already running). */
async function startServer(teardown: Teardown): Promise<string> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    teardown.dropDatabases = async (databases) => {
      for (const database of databases) await dropDatabase(serverUrl, database);
    };
    return serverUrl;
  }
  const embedded = await startEmbedded();
  teardown.stopServer = () => embedded.stop();
  teardown.dropDatabases = async (databases) => {
    if (embedded.startedHere && !(await reachable(embedded.url))) {
      // Ctrl-C in a terminal reaches the embedded server too (same process group) and stops
      // it. A process of its own starts it once more, drops every bench database and stops it.
      await embedded.stop();
      await runNode(['-r', 'ts-node/register/transpile-only', require.resolve('./embedded-cleanup')]).done;
      return;
    }
    for (const database of databases) await dropDatabase(embedded.url, database);
  };
  return embedded.url;
}

/**
 * What the bench set up, undone once: after the run, after an error, or on SIGINT / SIGTERM.
 * Running children are stopped, connections closed, then the databases dropped and an embedded
 * server started here stopped. Closed connections are waited for before their database is
 * dropped, so DROP DATABASE ... WITH (FORCE) has nobody to terminate; one it terminates anyway
 * must not crash the process (node-postgres raises an unhandled 'error' event on a pool without
 * a listener), so every pool has one.
 */
class Teardown {
  readonly databases: string[] = [];
  dropDatabases: (databases: string[]) => Promise<void> = async () => undefined;
  stopServer: () => Promise<void> = async () => undefined;
  private readonly closers: { what: string; close: () => Promise<void> }[] = [];
  private readonly children = new Set<ChildProcess>();
  private running?: Promise<void>;

  get started(): boolean {
    return this.running !== undefined;
  }

  closing(what: string, dataSource: DataSource): DataSource {
    this.closers.push({ what, close: async () => void (dataSource.isInitialized && (await dataSource.destroy())) });
    return dataSource;
  }

  pool(what: string, pool: Pool): Pool {
    pool.on('error', (error) => {
      if (!this.started) process.stderr.write(`${what}: ${error.message}\n`);
    });
    this.closers.push({ what, close: () => (pool.ended ? Promise.resolve() : pool.end()) });
    return pool;
  }

  /** Runs node with `args` and returns its stdout; stopped if the bench is torn down meanwhile. */
  async child(what: string, args: string[]): Promise<string> {
    if (this.started) throw new Error(`${what}: the bench is being torn down`);
    const { child, done } = runNode(args);
    this.children.add(child);
    try {
      return await done;
    } catch (error) {
      throw new Error(`${what} failed: ${(error as Error).message}`);
    } finally {
      this.children.delete(child);
    }
  }

  run(): Promise<void> {
    return (this.running ??= this.undo());
  }

  private async undo(): Promise<void> {
    const attempt = async (what: string, step: () => Promise<void>) =>
      step().catch((error: Error) => process.stderr.write(`teardown: could not ${what}: ${error.message}\n`));
    await Promise.all([...this.children].map((child) => attempt('stop a child process', () => stopChild(child))));
    for (const { what, close } of this.closers.reverse()) await attempt(`close ${what}`, close);
    await attempt(`drop ${this.databases.join(', ')}`, () => this.dropDatabases(this.databases));
    await attempt('stop the embedded PostgreSQL', this.stopServer);
  }
}

function runNode(args: string[]): { child: ChildProcess; done: Promise<string> } {
  let child!: ChildProcess;
  const done = new Promise<string>((resolve, reject) => {
    child = execFile(process.execPath, args, { cwd: projectPath('.'), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout),
    );
  });
  return { child, done };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(5_000).then(() => child.kill('SIGKILL'))]);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

const teardown = new Teardown();
let stopping = false;
/** Tears down once, then exits; what fails meanwhile (as its connections close) is not news. */
const stop = (exitCode: number, why?: string) => {
  if (stopping) return;
  stopping = true;
  if (why) process.stderr.write(`${why}: removing the bench databases\n`);
  void teardown.run().finally(() => process.exit(exitCode));
};
for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (stopping) process.stderr.write(`${signal}: still removing the bench databases\n`);
    stop(exitCode, signal);
  });
}
process.on('uncaughtException', (error) => {
  if (!stopping) console.error(error);
  stop(1, 'uncaught exception');
});
main(teardown).then(
  () => stop(0),
  (error) => {
    if (!stopping) console.error(error);
    stop(1, 'failed');
  },
);
