import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

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
 * - `client_transfers`: read model of every transfer (projection of its events): no personal data.
 */
export class ClientTransfers1764200000000 implements MigrationInterface {
  name = 'ClientTransfers1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
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
        intake_on date,
        accepted_on date,
        end_reason text,
        step_since timestamptz NOT NULL,
        listed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        last_position bigint NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX client_transfers_transition ON client_transfers (transition_id, step)');
    await queryRunner.query('CREATE INDEX client_transfers_outgoing ON client_transfers (outgoing_provider, step)');
    await queryRunner.query('CREATE INDEX client_transfers_incoming ON client_transfers (incoming_provider, step)');

    for (const table of ['client_keys', 'client_records', 'client_files']) {
      await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON ${table} TO ${APP_ROLE}`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT ON client_numbers, client_import_items TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON client_imports TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON client_transfers TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['client_transfers', 'client_import_items', 'client_imports', 'client_numbers', 'client_files', 'client_records', 'client_keys']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
