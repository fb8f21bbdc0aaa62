import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../src/database/data-source';
import { migrations } from '../../src/database/migrations';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('migrations on a real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase({ migrated: false })));
  afterAll(() => db.drop());

  it('run once even when two processes start at the same moment', async () => {
    const second = await new DataSource(dataSourceOptions(db.url, { asAppRole: false })).initialize();
    try {
      await Promise.all([migrate(db.admin), migrate(second)]);
    } finally {
      await second.destroy();
    }
    const applied = await db.admin.query('SELECT name FROM schema_migrations ORDER BY id');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(migrations.map((migration) => migration.name));
  });

  it('leave nothing to do on the next start', async () => {
    await migrate(db.admin);
    expect(await db.admin.showMigrations()).toBe(false);
  });

  it('create the event store and the transition summary read model', async () => {
    const tables = await db.admin.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual([
      'events', 'projection_checkpoints', 'schema_migrations', 'transition_summaries',
    ]);
  });

  it('give the summary read model its columns', async () => {
    const columns = await db.admin.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'transition_summaries' ORDER BY column_name`,
    );
    expect(columns.map((row: { column_name: string }) => row.column_name)).toEqual([
      'created_at', 'district', 'go_live_date', 'incoming_provider', 'last_position', 'municipality',
      'outgoing_provider', 'state', 'transition_id', 'updated_at',
    ]);
  });
});
