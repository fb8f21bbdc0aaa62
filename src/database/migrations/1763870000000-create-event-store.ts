import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role (see src/database/app-role.ts), fixed here as this migration created it. */
const APP_ROLE = 'overdracht_app';

/**
 * Appends a batch to a stream in one round trip, as the caller (the application role):
 * - writers of one stream queue on a transaction-scoped advisory lock, so each reads the head
 *   the previous one committed (every statement of a volatile function takes a new snapshot);
 * - a batch whose event ids all exist in this stream is a repeat: the original rows come back
 *   with appended = false (SQLSTATE OD001 when only some exist, or in another stream);
 * - a stale expected version raises OD002 with the current version as detail;
 * - each event's hash chains the previous one: sha256(previous hash : version : content hash),
 *   where the content hash (of the canonical JSON of the event) comes from the application.
 */
const APPEND_EVENTS_FUNCTION = `
  CREATE FUNCTION append_events(
    p_stream_id text, p_expected_version integer, p_event_ids uuid[], p_types text[],
    p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[], p_recorded_at timestamptz,
    p_content_hashes text[]
  ) RETURNS TABLE (global_position bigint, stream_version integer, previous_hash text, hash text, appended boolean)
  LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    v_found integer;
    v_version integer;
    v_head text;
    v_versions integer[] := '{}';
    v_previous text[] := '{}';
    v_hashes text[] := '{}';
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));

    SELECT count(*) INTO v_found FROM events e WHERE e.event_id = ANY (p_event_ids);
    IF v_found > 0 THEN
      IF v_found = cardinality(p_event_ids) AND NOT EXISTS (
           SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids) AND e.stream_id <> p_stream_id) THEN
        RETURN QUERY
          SELECT e.global_position, e.stream_version, e.previous_hash, e.hash, false
          FROM unnest(p_event_ids) WITH ORDINALITY AS batch(event_id, n)
          JOIN events e ON e.event_id = batch.event_id
          ORDER BY batch.n;
        RETURN;
      END IF;
      RAISE EXCEPTION 'event ids already used by other appends' USING ERRCODE = 'OD001';
    END IF;

    SELECT e.stream_version, e.hash INTO v_version, v_head
    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1;
    v_version := coalesce(v_version, 0);
    IF p_expected_version IS NOT NULL AND p_expected_version <> v_version THEN
      RAISE EXCEPTION 'stream % is at version %, not the expected %', p_stream_id, v_version, p_expected_version
        USING ERRCODE = 'OD002', DETAIL = v_version::text;
    END IF;

    FOR i IN 1 .. cardinality(p_event_ids) LOOP
      v_version := v_version + 1;
      v_versions := v_versions || v_version;
      v_previous := v_previous || v_head;
      v_head := encode(sha256(convert_to(coalesce(v_head, '') || ':' || v_version || ':' || p_content_hashes[i], 'UTF8')), 'hex');
      v_hashes := v_hashes || v_head;
    END LOOP;

    RETURN QUERY
      INSERT INTO events AS e (event_id, stream_id, stream_version, type, schema_version, data, metadata,
                               recorded_at, previous_hash, hash)
      SELECT b.event_id, p_stream_id, b.stream_version, b.type, b.schema_version, b.data, b.metadata,
             p_recorded_at, b.previous_hash, b.hash
      FROM unnest(p_event_ids, v_versions, p_types, p_schema_versions, p_data, p_metadata, v_previous, v_hashes)
           AS b(event_id, stream_version, type, schema_version, data, metadata, previous_hash, hash)
      RETURNING e.global_position, e.stream_version, e.previous_hash, e.hash, true;
  END $$`;

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

    await queryRunner.query(APPEND_EVENTS_FUNCTION);

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
    await queryRunner.query('REVOKE ALL ON FUNCTION append_events FROM PUBLIC');
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION append_events TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON projection_checkpoints TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
    await queryRunner.query('DROP FUNCTION append_events');
    await queryRunner.query('DROP TABLE events');
    await queryRunner.query('DROP FUNCTION events_refuse_change');
    await queryRunner.query(`REVOKE ALL ON SCHEMA public FROM ${APP_ROLE}`);
  }
}
