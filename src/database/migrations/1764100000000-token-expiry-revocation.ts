import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/**
 * Bearer tokens may expire and be revoked, and a user's role must fit its organisation.
 *
 * - `api_tokens.expires_at` (null: no expiry) and `revoked_at` (null: in force). The
 *   application role may set `revoked_at` and nothing else of a stored token (column grant);
 *   a revoked token stays revoked, whoever tries to change that (trigger).
 * - New users: a provider belongs to a provider, a coordinator or an auditor to a
 *   municipality (trigger on insert and on a change of role or organisation). Users stored
 *   before this rule (an auditor of a provider) are left as they are: no data says which
 *   municipality they should audit, so the service refuses them at sign-in instead.
 */
export class TokenExpiryRevocation1764100000000 implements MigrationInterface {
  name = 'TokenExpiryRevocation1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_tokens
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN revoked_at timestamptz`);
    await queryRunner.query(`GRANT UPDATE (revoked_at) ON api_tokens TO ${APP_ROLE}`);
    await queryRunner.query(`
      CREATE FUNCTION api_tokens_revocation_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
          RAISE EXCEPTION 'a revoked token stays revoked' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_tokens_revocation_is_final BEFORE UPDATE ON api_tokens
      FOR EACH ROW EXECUTE FUNCTION api_tokens_revocation_is_final()`);

    await queryRunner.query(`
      CREATE FUNCTION users_role_fits_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_kind text;
      BEGIN
        SELECT kind INTO v_kind FROM organisations WHERE code = NEW.organisation;
        IF v_kind IS DISTINCT FROM (CASE NEW.role WHEN 'provider' THEN 'provider' ELSE 'municipality' END) THEN
          RAISE EXCEPTION '% % must belong to a %', CASE WHEN NEW.role ~ '^[aeiou]' THEN 'an' ELSE 'a' END, NEW.role,
            CASE NEW.role WHEN 'provider' THEN 'provider' ELSE 'municipality' END
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_role_fits_organisation BEFORE INSERT OR UPDATE OF role, organisation ON users
      FOR EACH ROW EXECUTE FUNCTION users_role_fits_organisation()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER users_role_fits_organisation ON users');
    await queryRunner.query('DROP FUNCTION users_role_fits_organisation');
    await queryRunner.query('DROP TRIGGER api_tokens_revocation_is_final ON api_tokens');
    await queryRunner.query('DROP FUNCTION api_tokens_revocation_is_final');
    await queryRunner.query(`REVOKE UPDATE (revoked_at) ON api_tokens FROM ${APP_ROLE}`);
    await queryRunner.query('ALTER TABLE api_tokens DROP COLUMN revoked_at, DROP COLUMN expires_at');
  }
}
