import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { projectPath } from '../../src/config/paths';
import { dataSourceOptions, migrate } from '../../src/database/data-source';
import { EmbeddedPostgresServer } from '../../src/devstack/embedded-postgres';
import { anEvent, eventStoreFor } from '../support/event-store';
import { measure, WORKLOADS } from './workload';

const run = promisify(execFile);
const ROUNDS = 3;

/**
 * `npm run bench:events`: events appended per second by the Overdracht event store, against
 * two baselines on the same PostgreSQL in the same run: plain INSERTs into a table without
 * constraints (the limit) and @event-driven-io/emmett-postgresql (a well-known event store).
 * PostgreSQL is DATABASE_URL's server, else an embedded one. Medians of three rounds.
 */
async function main(): Promise<void> {
  let embedded: EmbeddedPostgresServer | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await EmbeddedPostgresServer.startOrReuse({
      dataDir: projectPath('.data/postgres-bench'),
      port: Number(process.env.BENCH_EMBEDDED_POSTGRES_PORT ?? 5435),
      database: 'postgres',
      log: () => undefined,
    });
    serverUrl = embedded.url;
  }
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  const suffix = randomBytes(4).toString('hex');
  const databases = { ours: `overdracht_bench_${suffix}`, emmett: `emmett_bench_${suffix}` };
  const urlOf = (database: string) => Object.assign(new URL(serverUrl!), { pathname: `/${database}` }).toString();
  for (const database of Object.values(databases)) await admin.query(`CREATE DATABASE ${database}`);

  const owner = await new DataSource(dataSourceOptions(urlOf(databases.ours), { asAppRole: false })).initialize();
  await migrate(owner);
  const app = await new DataSource(dataSourceOptions(urlOf(databases.ours), { asAppRole: true })).initialize();
  const plain = new Pool({ connectionString: urlOf(databases.ours), max: 10 });
  try {
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
            events.map((e) => ({ ...anEvent(e.type, e.data), eventId: e.eventId })),
          ),
        ),
      emmett: async (workload) => {
        const { stdout } = await run(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', require.resolve('./emmett-workload'), urlOf(databases.emmett), workload.name],
          { cwd: projectPath('.') },
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
      ['workload (events/s, median of 3)', 'plain INSERT', 'Overdracht', 'emmett', 'Overdracht / plain', 'Overdracht / emmett'],
      rows,
    );
  } finally {
    await Promise.all([owner.destroy(), app.destroy(), plain.end()]);
    for (const database of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
