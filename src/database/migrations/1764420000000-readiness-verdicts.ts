import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/**
 * The daily readiness check's last verdict per handover (see src/forecast/readiness-check.ts):
 * what it decided, on which day, and since when that verdict holds. A change from not late to
 * late alerts the municipality once. Dates and codes only.
 */
export class ReadinessVerdicts1764420000000 implements MigrationInterface {
  name = 'ReadinessVerdicts1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE readiness_verdicts (
        transition_id text PRIMARY KEY,
        verdict       text NOT NULL CHECK (verdict IN ('ready', 'on-time', 'late', 'unknown')),
        ready_date    date,
        checked_on    date NOT NULL,
        since         date NOT NULL
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON readiness_verdicts TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE readiness_verdicts');
  }
}
