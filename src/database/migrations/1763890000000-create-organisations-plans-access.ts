import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_TEMPLATES } from '../../plans/default-templates';
import { APP_ROLE } from '../app-role';

/** Organisations and districts, versioned plan templates (seeded), users with hashed tokens, notifications. */
export class CreateOrganisationsPlansAccess1763890000000 implements MigrationInterface {
  name = 'CreateOrganisationsPlansAccess1763890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organisations (
        code    text PRIMARY KEY,
        name    text NOT NULL,
        kind    text NOT NULL CHECK (kind IN ('municipality', 'provider')),
        email   text,
        is_demo boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(`
      CREATE TABLE consortium_members (
        consortium text NOT NULL REFERENCES organisations (code),
        member     text NOT NULL REFERENCES organisations (code),
        role       text NOT NULL CHECK (role IN ('main-contractor', 'member')),
        PRIMARY KEY (consortium, member),
        CHECK (consortium <> member)
      )`);
    await queryRunner.query(`
      CREATE TABLE districts (
        municipality text NOT NULL REFERENCES organisations (code),
        code         text NOT NULL,
        name         text NOT NULL,
        is_demo      boolean NOT NULL DEFAULT false,
        PRIMARY KEY (municipality, code)
      )`);
    await queryRunner.query(`
      CREATE TABLE plan_templates (
        code       text NOT NULL,
        version    integer NOT NULL,
        name       text NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (code, version)
      )`);
    for (const template of DEFAULT_TEMPLATES) {
      await queryRunner.query('INSERT INTO plan_templates (code, version, name, definition) VALUES ($1, $2, $3, $4)', [
        template.code,
        template.version,
        template.name,
        JSON.stringify(template.definition),
      ]);
    }
    await queryRunner.query(`
      CREATE TABLE users (
        id           uuid PRIMARY KEY,
        username     text NOT NULL UNIQUE,
        role         text NOT NULL CHECK (role IN ('coordinator', 'provider', 'auditor')),
        organisation text NOT NULL REFERENCES organisations (code),
        is_demo      boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        token_hash text PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id),
        label      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE notifications (
        id           text PRIMARY KEY,
        organisation text NOT NULL,
        kind         text NOT NULL,
        subject      text NOT NULL,
        body         text NOT NULL,
        transition_id text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX notifications_organisation ON notifications (organisation, created_at DESC)');
    await queryRunner.query(`
      CREATE TABLE email_deliveries (
        notification_id text NOT NULL,
        recipient       text NOT NULL,
        status          text NOT NULL CHECK (status IN ('sending', 'sent')),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, recipient)
      )`);
    // The service seeds demo organisations itself; it never changes or removes any.
    await queryRunner.query(`GRANT SELECT, INSERT ON organisations, consortium_members, districts TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT ON plan_templates TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON users, api_tokens TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON notifications, email_deliveries TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['email_deliveries', 'notifications', 'api_tokens', 'users', 'plan_templates', 'districts',
      'consortium_members', 'organisations']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
