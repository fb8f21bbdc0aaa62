import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../src/database/data-source';
import { migrations } from '../../src/database/migrations';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('migrations on a real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase({ migrated: false })));
  afterAll(() => db.drop());

  it('run once even when two processes start at the same moment', async () => {
    const second = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      await Promise.all([migrate(db.dataSource), migrate(second)]);
    } finally {
      await second.destroy();
    }
    const applied = await db.dataSource.query('SELECT name FROM schema_migrations ORDER BY id');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(migrations.map((migration) => migration.name));
  });

  it('leave nothing to do on the next start', async () => {
    await migrate(db.dataSource);
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('create the transition summary read model', async () => {
    const columns = await db.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'transition_summaries' ORDER BY column_name`,
    );
    expect(columns.map((row: { column_name: string }) => row.column_name)).toEqual([
      'created_at', 'district', 'go_live_date', 'incoming_provider', 'municipality', 'outgoing_provider', 'state',
      'transition_id', 'updated_at',
    ]);
  });
});
