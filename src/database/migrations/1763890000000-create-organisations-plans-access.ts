import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/*
 * The plan templates this migration seeds, drawn from the Rotterdam (2022) and Enschede (2018)
 * programmes: data of this migration, fixed with it. A changed template is a new version, added
 * by a new migration, never an edit.
 */
const PROVIDER_CHANGE = {
  code: 'provider-change',
  version: 1,
  name: 'Provider change: full warm handover (warme overdracht)',
  definition: {
    tasks: [
      { key: 'kick-off', title: 'Kick-off with both providers', offsetDays: -120, assignee: 'municipality', dependsOn: [] },
      { key: 'staff-agreements', title: 'Agree on staff moving to the incoming provider', offsetDays: -90, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'location-agreements', title: 'Agree on locations and their use', offsetDays: -90, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'client-list', title: 'Deliver the list of clients in ongoing support (pseudonymised)', offsetDays: -60, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'client-files', title: 'Transfer client files, with each client\'s consent', offsetDays: -30, assignee: 'outgoing', dependsOn: ['client-list'] },
      { key: 'client-intake', title: 'Intake of every transferred client', offsetDays: -14, assignee: 'incoming', dependsOn: ['client-files'] },
      { key: 'residents-informed-outgoing', title: 'Inform residents about the change (outgoing provider)', offsetDays: -28, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'residents-informed-incoming', title: 'Inform residents about the new provider (incoming provider)', offsetDays: -21, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'partners-introduced', title: 'Introduce local partners and residents\' initiatives', offsetDays: -30, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'keys-handed-over', title: 'Hand over keys and locations', offsetDays: -1, assignee: 'outgoing', dependsOn: ['location-agreements'] },
      { key: 'go-no-go', title: 'Go / no-go meeting', offsetDays: -7, assignee: 'municipality', dependsOn: [] },
      { key: 'evaluation', title: 'Evaluate the handover with both providers', offsetDays: 90, assignee: 'municipality', dependsOn: [] },
    ],
    milestones: [
      { key: 'kicked-off', title: 'Kick-off held', offsetDays: -120, mandatory: true, tasks: ['kick-off'] },
      { key: 'agreements-made', title: 'Staff and location agreements made', offsetDays: -90, mandatory: true, tasks: ['staff-agreements', 'location-agreements'] },
      { key: 'residents-informed', title: 'Residents informed before go-live', offsetDays: -21, mandatory: true, tasks: ['residents-informed-outgoing', 'residents-informed-incoming'] },
      { key: 'partners-introduced', title: 'Local partners and residents\' initiatives introduced', offsetDays: -30, mandatory: false, tasks: ['partners-introduced'] },
      { key: 'clients-transferred', title: 'Clients in ongoing support transferred', offsetDays: -14, mandatory: true, tasks: ['client-list', 'client-files', 'client-intake'] },
      { key: 'locations-handed-over', title: 'Keys and locations handed over', offsetDays: -1, mandatory: true, tasks: ['keys-handed-over'] },
      { key: 'go-decision', title: 'Go / no-go decided', offsetDays: -7, mandatory: true, tasks: ['go-no-go'] },
      { key: 'evaluated', title: 'Handover evaluated', offsetDays: 90, mandatory: false, tasks: ['evaluation'] },
    ],
    closesAfterMilestone: 'evaluated',
  },
};

const CONTINUATION = {
  code: 'continuation',
  version: 1,
  name: 'Continuation: same provider, new assignment',
  definition: {
    tasks: [
      { key: 'kick-off', title: 'Kick-off of the new assignment', offsetDays: -60, assignee: 'municipality', dependsOn: [] },
      { key: 'assignment-agreed', title: 'Agree on the new assignment\'s focus groups and partners', offsetDays: -45, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'residents-informed', title: 'Inform residents about the new assignment', offsetDays: -21, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'go-no-go', title: 'Go / no-go meeting', offsetDays: -7, assignee: 'municipality', dependsOn: [] },
      { key: 'evaluation', title: 'Evaluate the start of the new assignment', offsetDays: 90, assignee: 'municipality', dependsOn: [] },
    ],
    milestones: [
      { key: 'kicked-off', title: 'Kick-off held', offsetDays: -60, mandatory: true, tasks: ['kick-off'] },
      { key: 'residents-informed', title: 'Residents informed before go-live', offsetDays: -21, mandatory: true, tasks: ['residents-informed'] },
      { key: 'go-decision', title: 'Go / no-go decided', offsetDays: -7, mandatory: true, tasks: ['go-no-go'] },
      { key: 'evaluated', title: 'Start evaluated', offsetDays: 90, mandatory: false, tasks: ['evaluation'] },
    ],
    closesAfterMilestone: 'evaluated',
  },
};

/** The seeded templates (tests plan handovers from them as the service does from the table). */
export const SEEDED_TEMPLATES = [PROVIDER_CHANGE, CONTINUATION];

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
    for (const template of SEEDED_TEMPLATES) {
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
