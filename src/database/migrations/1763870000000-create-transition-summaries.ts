import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTransitionSummaries1763870000000 implements MigrationInterface {
  name = 'CreateTransitionSummaries1763870000000';

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
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX transition_summaries_municipality_go_live ON transition_summaries (municipality, go_live_date)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE transition_summaries');
  }
}
