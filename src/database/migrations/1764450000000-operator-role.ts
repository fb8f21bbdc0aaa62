import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role `operator` (platform operations: decodes workflow payloads for the Temporal Web UI,
 * nothing else). An operator belongs to a municipality, as the role trigger of
 * 1764100000000-token-expiry-revocation already says for every role but provider.
 */
export class OperatorRole1764450000000 implements MigrationInterface {
  name = 'OperatorRole1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_role_check,
        ADD CONSTRAINT users_role_check CHECK (role IN ('coordinator', 'provider', 'auditor', 'operator'))`);
  }

  /** Fails while an operator exists: revoke and remove those users first. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_role_check,
        ADD CONSTRAINT users_role_check CHECK (role IN ('coordinator', 'provider', 'auditor'))`);
  }
}
