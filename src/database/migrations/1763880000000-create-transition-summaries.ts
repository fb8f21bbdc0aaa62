import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** Read model of every handover, projected from its events (times included, so rebuilds are identical). */
export class CreateTransitionSummaries1763880000000 implements MigrationInterface {
  name = 'CreateTransitionSummaries1763880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transition_summaries (
        transition_id     text PRIMARY KEY,
        municipality      text NOT NULL,
        district          text NOT NULL,
        outgoing_provider text NOT NULL,
        incoming_provider text NOT NULL,
        go_live_date      date NOT NULL,
        state             text NOT NULL,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        last_position     bigint NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX transition_summaries_municipality_go_live ON transition_summaries (municipality, go_live_date)',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON transition_summaries TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE transition_summaries');
  }
}
