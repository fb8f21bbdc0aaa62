import { DataSource, DataSourceOptions } from 'typeorm';
import { TransitionSummary } from '../transitions/transition-summary.entity';
import { migrations } from './migrations';

export const entities = [TransitionSummary];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
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
