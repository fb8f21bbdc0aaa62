import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * The append-only event store and the application's role. The role may read and append events
 * and maintain read models; it cannot update, delete or truncate events, and as it owns nothing
 * it cannot disable or drop the triggers that refuse those changes either.
 */
export class CreateEventStore1763870000000 implements MigrationInterface {
  name = 'CreateEventStore1763870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid NOT NULL,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL CHECK (stream_version > 0),
        type            text NOT NULL,
        schema_version  integer NOT NULL CHECK (schema_version > 0),
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL,
        previous_hash   text,
        hash            text NOT NULL,
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`);

    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection text PRIMARY KEY,
        position   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Roles are shared by every database of the server; another may have created it already.
    await queryRunner.query(`
      DO $$ BEGIN
        CREATE ROLE ${APP_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON events TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON projection_checkpoints TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
    await queryRunner.query('DROP TABLE events');
    await queryRunner.query('DROP FUNCTION events_refuse_change');
    await queryRunner.query(`REVOKE ALL ON SCHEMA public FROM ${APP_ROLE}`);
  }
}
