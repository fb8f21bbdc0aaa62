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
  return connectAndMigrate(url, name, cleanup);
}

/** What a kept database is called: `overdracht_kept_<name>` (never a bench prefix, so no start-up drops it). */
export const keptDatabaseName = (name: string) => {
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error('the name of a kept database is 1 to 40 of a-z, 0-9 and _');
  return `overdracht_kept_${name}`;
};

/**
 * A database kept between runs (`keptDatabaseName(name)`): created when it is not there, migrated
 * (a kept database gets the migrations added since), and left in place when the bench ends, with
 * whatever it was filled with. Drop it by hand: `DROP DATABASE overdracht_kept_<name>`.
 */
export async function openKeptBenchDatabase(serverUrl: string, name: string, cleanup: Cleanup): Promise<BenchDatabase> {
  const database = keptDatabaseName(name);
  const url = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  return connectAndMigrate(url, database, cleanup);
}

async function connectAndMigrate(url: string, name: string, cleanup: Cleanup): Promise<BenchDatabase> {
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
