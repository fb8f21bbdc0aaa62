import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_ROLE } from './app-role';
import { migrations } from './migrations';

/**
 * Connection settings. `asAppRole` makes every session take the application's restricted role
 * (startup option), which is how the service itself always connects; migrations do not.
 */
export function dataSourceOptions(url: string, { asAppRole }: { asAppRole: boolean }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // A database out of reach fails a request in seconds (503), rather than holding it open.
    connectTimeoutMS: 5_000,
    extra: asAppRole ? { options: `-c role=${APP_ROLE}` } : {},
  };
}

/** Arbitrary but fixed: serialises migrations when API and workers start at the same time. */
const MIGRATION_LOCK_KEY = 0x0ed0_2022;

/** Runs pending migrations under a Postgres advisory lock, in one transaction. */
export async function migrate(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Connects as the migration user, migrates, disconnects. */
export async function migrateDatabase(url: string): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(url, { asAppRole: false })).initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
