import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { projectPath } from '../../src/config/paths';
import { EmbeddedPostgresOptions, EmbeddedPostgresServer } from '../../src/devstack/embedded-postgres';

/** Every database the bench creates starts with one of these. */
export const BENCH_DATABASE_PREFIXES = ['overdracht_bench_', 'emmett_bench_'];

/** The bench's own embedded cluster, used when DATABASE_URL is not set. */
const EMBEDDED: EmbeddedPostgresOptions = {
  dataDir: projectPath('.data/postgres-bench'),
  port: Number(process.env.BENCH_EMBEDDED_POSTGRES_PORT ?? 5435),
  database: 'postgres',
  log: () => undefined,
};

/**
 * The embedded server, started here or reused when it is already running. When this process
 * started it, nobody else was using the cluster, so bench databases found in it are left from
 * a run that was killed outright (SIGKILL, which no handler sees): they are dropped first.
 */
export async function startEmbedded(): Promise<EmbeddedPostgresServer> {
  const embedded = await EmbeddedPostgresServer.startOrReuse(EMBEDDED);
  if (embedded.startedHere) {
    for (const database of await benchDatabases(embedded.url)) await dropDatabase(embedded.url, database);
  }
  return embedded;
}

/** One short-lived connection to the server's maintenance database. */
export async function onServer<T>(serverUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  client.on('error', () => undefined); // a failing query reports it
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export function reachable(serverUrl: string): Promise<boolean> {
  return onServer(serverUrl, (client) => client.query('SELECT 1')).then(
    () => true,
    () => false,
  );
}

export async function benchDatabases(serverUrl: string): Promise<string[]> {
  const { rows } = await onServer(serverUrl, (client) =>
    client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE ${BENCH_DATABASE_PREFIXES.map((_, i) => `starts_with(datname, $${i + 1})`).join(' OR ')}`,
      BENCH_DATABASE_PREFIXES,
    ),
  );
  return rows.map((row) => row.datname);
}

/**
 * Waits (briefly) for the database's connections to end, then drops it. WITH (FORCE) terminates
 * whatever is still connected; waiting first spares connections that are closing anyway.
 */
export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    for (let waited = 0; waited < 5_000; waited += 100) {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      if (rows[0].n === 0) break;
      await delay(100);
    }
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  });
}
