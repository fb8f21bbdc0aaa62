import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role (see src/database/app-role.ts), fixed here as this migration created it. */
const APP_ROLE = 'overdracht_app';

/**
 * The detail read model of every handover (its state as the workflow keeps it), and the
 * projections the application rebuilds when it starts: filling the new read model needs the
 * live projection code, which a migration never imports.
 */
export class TransitionDetails1764410000000 implements MigrationInterface {
  name = 'TransitionDetails1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transition_details (
        transition_id  text PRIMARY KEY,
        status         jsonb NOT NULL,
        stream_version integer NOT NULL,
        updated_at     timestamptz NOT NULL,
        last_position  bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_rebuilds (
        projection   text PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO projection_rebuilds (projection) VALUES ('transition_details')`);
    await queryRunner.query('CREATE INDEX notifications_organisation_page ON notifications (organisation, created_at DESC, id)');
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON transition_details, projection_rebuilds TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX notifications_organisation_page');
    await queryRunner.query('DROP TABLE projection_rebuilds');
    await queryRunner.query('DROP TABLE transition_details');
  }
}
