import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../src/database/data-source';

function serverUrl(): string {
  const url = process.env.TEST_POSTGRES_SERVER_URL;
  if (!url) throw new Error('TEST_POSTGRES_SERVER_URL is set by the jest global setup');
  return url;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  /** Connected as the owner (the server's superuser here): migrations, and tampering in tests. */
  admin: DataSource;
  /** Connected as the service connects: in the application's restricted role. */
  app: DataSource;
  drop(): Promise<void>;
}

/** A fresh database of its own for one test file, migrated unless asked not to; `drop()` removes it. */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = `overdracht_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const connections: DataSource[] = [];
  /** Closes what is open, then drops the database; whatever fails, the drop is still tried. */
  const drop = async () => {
    await Promise.allSettled(connections.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    const connect = async (asAppRole: boolean) => {
      const dataSource = new DataSource(dataSourceOptions(url.toString(), { asAppRole }));
      connections.push(dataSource);
      return dataSource.initialize();
    };
    const admin = await connect(false);
    if (migrated) await migrate(admin);
    const app = await connect(true);
    return { url: url.toString(), admin, app, drop };
  } catch (error) {
    // A failed migration or connection leaves no database behind.
    await drop().catch(() => undefined);
    throw error;
  }
}
