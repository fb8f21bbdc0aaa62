import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../src/database/data-source';
import { BENCH_DATABASE_PREFIXES } from './bench-server';
import type { Cleanup } from './cleanup';

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** As the tables' owner: migrations and seeding. */
  admin: DataSource;
  /** In the application's restricted role, as the service connects. */
  app: DataSource;
}

/**
 * A migrated database of the benchmark's own on `serverUrl`, dropped by `cleanup` (also after a
 * failure or a signal: the drop is registered before the database is created).
 */
export async function createBenchDatabase(serverUrl: string, prefix: string, cleanup: Cleanup): Promise<BenchDatabase> {
  // Named so that a later run on the embedded server finds it should this one be killed outright (SIGKILL).
  const known = BENCH_DATABASE_PREFIXES.some((start) => prefix.startsWith(start));
  const name = `${known ? prefix : `overdracht_bench_${prefix}`}_${randomBytes(5).toString('hex')}`;
  const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  cleanup.add(`database ${name}`, () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const connect = (asAppRole: boolean) =>
    cleanup.start(
      `connection to ${name}`,
      new DataSource(dataSourceOptions(url, { asAppRole })).initialize(),
      (dataSource) => dataSource.destroy(),
    );
  const admin = await connect(false);
  await migrate(admin);
  const app = await connect(true);
  return { name, url, admin, app };
}
