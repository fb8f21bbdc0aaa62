import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/**
 * Browser sessions of the web pages, in the table layout connect-pg-simple reads and writes
 * (`sid`, `sess`, `expire`). A session holds the identity of the token it was opened with and
 * a CSRF token, never the token itself; `expire` is the idle expiry, moved on by each request.
 */
export class WebSessions1764400000000 implements MigrationInterface {
  name = 'WebSessions1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE web_sessions (
        sid    varchar PRIMARY KEY,
        sess   json NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX web_sessions_expire ON web_sessions (expire)');
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE web_sessions');
  }
}
