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

  it('create the event store, read models, organisations, plans and access tables', async () => {
    const tables = await db.admin.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual([
      'api_tokens', 'audience_imports', 'campaign_recipients', 'campaign_subscribers', 'campaigns', 'client_files', 'client_import_items',
      'client_imports', 'client_keys', 'client_numbers', 'client_records', 'client_transfers', 'consortium_members', 'districts',
      'email_deliveries', 'events', 'letter_batches', 'notifications', 'organisations', 'plan_templates', 'projection_checkpoints',
      'projection_rebuilds', 'readiness_verdicts', 'resident_addresses', 'schema_migrations', 'transition_details', 'transition_summaries',
      'transition_tasks', 'users', 'web_sessions',
    ]);
  });

  it('seed the plan templates, versioned', async () => {
    const templates = await db.admin.query('SELECT code, version FROM plan_templates ORDER BY code, version');
    expect(templates).toEqual([
      { code: 'continuation', version: 1 },
      { code: 'provider-change', version: 1 },
      { code: 'provider-change', version: 2 },
      { code: 'provider-change', version: 3 },
    ]);
  });

  it('index the client transfers for the counts per handover and the unfinished per provider', async () => {
    const indexes = await db.admin.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'client_transfers' ORDER BY indexname`);
    expect(indexes.map((row: { indexname: string }) => row.indexname)).toEqual([
      'client_transfers_incoming', 'client_transfers_incoming_unfinished', 'client_transfers_outgoing', 'client_transfers_outgoing_unfinished',
      'client_transfers_pkey', 'client_transfers_transition', 'client_transfers_transition_counts',
    ]);
  });

  it('give the summary read model its columns', async () => {
    const columns = await db.admin.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'transition_summaries' ORDER BY column_name`,
    );
    expect(columns.map((row: { column_name: string }) => row.column_name)).toEqual([
      'at_risk', 'created_at', 'district', 'go_live_date', 'incoming_provider', 'last_position', 'municipality',
      'outgoing_provider', 'state', 'template', 'transition_id', 'updated_at',
    ]);
  });
});
