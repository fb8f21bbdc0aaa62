import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/*
 * Version 2 of the provider-change template (data of this migration, fixed with it): its client
 * milestone becomes a check on data. Once clients are imported, "Clients in ongoing support
 * transferred" is met when every transfer has finished and no import runs; before that, its
 * tasks count as in version 1. Everything else is version 1 unchanged.
 */
export const PROVIDER_CHANGE_V2 = {
  code: 'provider-change',
  version: 2,
  name: 'Provider change: full warm handover (warme overdracht), client transfers checked on data',
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
      {
        key: 'clients-transferred', title: 'Clients in ongoing support transferred', offsetDays: -14, mandatory: true,
        tasks: ['client-list', 'client-files', 'client-intake'], check: 'client-transfers',
      },
      { key: 'locations-handed-over', title: 'Keys and locations handed over', offsetDays: -1, mandatory: true, tasks: ['keys-handed-over'] },
      { key: 'go-decision', title: 'Go / no-go decided', offsetDays: -7, mandatory: true, tasks: ['go-no-go'] },
      { key: 'evaluated', title: 'Handover evaluated', offsetDays: 90, mandatory: false, tasks: ['evaluation'] },
    ],
    closesAfterMilestone: 'evaluated',
  },
};

/**
 * Client transfers ("warme overdracht").
 *
 * Personal data lives only in the vault tables, encrypted with the client's own key
 * (`client_keys.wrapped_key`, itself encrypted with the master key from the environment).
 * Erasure deletes the key row (crypto-shredding) together with the ciphertexts; a database
 * restored from an older backup is shredded again from the erasure log. Records and files refer
 * to their key (ON DELETE CASCADE): a file stored while its client is being erased either waits
 * for the erasure and fails, or is deleted with the key, never left behind.
 *
 * - `client_keys`: one data key per client, wrapped.
 * - `client_records`: the client's personal data (see src/clients/client-personal-data.ts), encrypted.
 * - `client_files`: file packages (PDF or ZIP), encrypted.
 * - `client_numbers`: keyed hash of the provider's client number → pseudonym, per handover;
 *   the number itself is never stored.
 * - `client_imports`, `client_import_items`: an accepted import and the transfers it starts, in order.
 * - `client_transfers`: read model of every transfer (projection of its events): no personal data;
 *   `consent_on` is the day of the client's answer (given, or refused: step `declined`).
 * - Version 2 of the provider-change template (see PROVIDER_CHANGE_V2).
 */
export class ClientTransfers1764200000000 implements MigrationInterface {
  name = 'ClientTransfers1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('INSERT INTO plan_templates (code, version, name, definition) VALUES ($1, $2, $3, $4)', [
      PROVIDER_CHANGE_V2.code,
      PROVIDER_CHANGE_V2.version,
      PROVIDER_CHANGE_V2.name,
      JSON.stringify(PROVIDER_CHANGE_V2.definition),
    ]);
    await queryRunner.query(`
      CREATE TABLE client_keys (
        pseudonym text PRIMARY KEY,
        transition_id text NOT NULL,
        wrapped_key bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE client_records (
        pseudonym text PRIMARY KEY REFERENCES client_keys (pseudonym) ON DELETE CASCADE,
        transition_id text NOT NULL,
        personal_data bytea NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE client_files (
        file_id uuid PRIMARY KEY,
        pseudonym text NOT NULL REFERENCES client_keys (pseudonym) ON DELETE CASCADE,
        media_type text NOT NULL,
        bytes integer NOT NULL,
        content bytea NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX client_files_pseudonym ON client_files (pseudonym)');
    await queryRunner.query(`
      CREATE TABLE client_numbers (
        transition_id text NOT NULL,
        number_hash bytea NOT NULL,
        pseudonym text NOT NULL UNIQUE,
        PRIMARY KEY (transition_id, number_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE client_imports (
        import_id uuid PRIMARY KEY,
        transition_id text NOT NULL,
        organisation text NOT NULL,
        file_hash bytea NOT NULL,
        clients integer NOT NULL,
        new_clients integer NOT NULL,
        started integer NOT NULL DEFAULT 0,
        state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished')),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (transition_id, file_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE client_import_items (
        import_id uuid NOT NULL REFERENCES client_imports (import_id),
        seq integer NOT NULL,
        pseudonym text NOT NULL,
        target_group text NOT NULL,
        PRIMARY KEY (import_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE client_transfers (
        pseudonym text PRIMARY KEY,
        transition_id text NOT NULL,
        import_id uuid NOT NULL,
        municipality text NOT NULL,
        district text NOT NULL,
        outgoing_provider text NOT NULL,
        incoming_provider text NOT NULL,
        target_group text NOT NULL,
        step text NOT NULL,
        finished boolean NOT NULL DEFAULT false,
        erased boolean NOT NULL DEFAULT false,
        informed_on date,
        inform_channel text,
        consent_on date,
        file_id uuid,
        file_media_type text,
        file_bytes integer,
        file_transferred_at timestamptz,
        intake_on date,
        accepted_on date,
        end_reason text,
        finished_at timestamptz,
        erasure_reason text,
        step_since timestamptz NOT NULL,
        listed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        last_position bigint NOT NULL
      )`);
    // Pages are keyset on pseudonym within a handover or a provider's transfers; counts group by step.
    await queryRunner.query('CREATE INDEX client_transfers_transition ON client_transfers (transition_id, pseudonym)');
    await queryRunner.query('CREATE INDEX client_transfers_transition_step ON client_transfers (transition_id, step, target_group)');
    await queryRunner.query('CREATE INDEX client_transfers_outgoing ON client_transfers (outgoing_provider, pseudonym)');
    await queryRunner.query('CREATE INDEX client_transfers_incoming ON client_transfers (incoming_provider, pseudonym)');

    for (const table of ['client_keys', 'client_records', 'client_files']) {
      await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON ${table} TO ${APP_ROLE}`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT ON client_numbers, client_import_items TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON client_imports TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON client_transfers TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM plan_templates WHERE code = $1 AND version = $2', [PROVIDER_CHANGE_V2.code, PROVIDER_CHANGE_V2.version]);
    for (const table of ['client_transfers', 'client_import_items', 'client_imports', 'client_numbers', 'client_files', 'client_records', 'client_keys']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
