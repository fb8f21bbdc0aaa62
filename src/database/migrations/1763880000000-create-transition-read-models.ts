import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role (see src/database/app-role.ts), fixed here as this migration created it. */
const APP_ROLE = 'overdracht_app';

/** Read models of every handover and its tasks, projected from its events (times included, so rebuilds are identical). */
export class CreateTransitionReadModels1763880000000 implements MigrationInterface {
  name = 'CreateTransitionReadModels1763880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transition_summaries (
        transition_id     text PRIMARY KEY,
        municipality      text NOT NULL,
        district          text NOT NULL,
        outgoing_provider text NOT NULL,
        incoming_provider text NOT NULL,
        go_live_date      date NOT NULL,
        template          text NOT NULL,
        state             text NOT NULL,
        at_risk           boolean NOT NULL DEFAULT false,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        last_position     bigint NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX transition_summaries_municipality_go_live ON transition_summaries (municipality, go_live_date)',
    );
    await queryRunner.query(`
      CREATE TABLE transition_tasks (
        transition_id text NOT NULL,
        task_id       text NOT NULL,
        title         text NOT NULL,
        assignee_role text NOT NULL,
        assignee      text NOT NULL,
        due_date      date NOT NULL,
        status        text NOT NULL,
        completed_at  timestamptz,
        completed_by  text,
        last_position bigint NOT NULL,
        PRIMARY KEY (transition_id, task_id)
      )`);
    await queryRunner.query('CREATE INDEX transition_tasks_assignee ON transition_tasks (assignee, status, due_date)');
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON transition_summaries, transition_tasks TO ${APP_ROLE}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE transition_tasks');
    await queryRunner.query('DROP TABLE transition_summaries');
  }
}
