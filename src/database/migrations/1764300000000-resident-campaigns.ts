import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROVIDER_CHANGE_V2 } from './1764200000000-client-transfers';

/** The application's role, as the event store migration created it. */
const APP_ROLE = 'overdracht_app';

/*
 * Version 3 of the provider-change template (data of this migration, fixed with it): its
 * "residents informed" milestone becomes a check on data. Once a campaign is approved, it is met
 * when the campaign has informed every recipient; before that, its tasks count as in version 2. It
 * is due 14 days before go-live (21 in version 2), when a campaign's default deadline falls.
 */
export const PROVIDER_CHANGE_V3 = {
  ...PROVIDER_CHANGE_V2,
  version: 3,
  name: 'Provider change: full warm handover (warme overdracht), clients and residents checked on data',
  definition: {
    ...PROVIDER_CHANGE_V2.definition,
    milestones: PROVIDER_CHANGE_V2.definition.milestones.map((milestone) =>
      // Due when the campaign's default deadline falls (10 Dutch business days before go-live, about two weeks).
      milestone.key === 'residents-informed' ? { ...milestone, offsetDays: -14, check: 'resident-campaign' } : milestone,
    ),
  },
};

/**
 * Resident campaigns ("bewonersinformatie").
 *
 * Audiences of a handover:
 * - `resident_addresses`: every address of the district, for a letter "Aan de bewoners van" (no
 *   names). Addresses are kept in the clear for sorting the print run, never in events or logs.
 * - `campaign_subscribers`: residents who asked for e-mail. Their e-mail address, name and
 *   optional postal address are personal data: encrypted with the subscriber's own key, which
 *   the client data master key wraps; erasure deletes the row (crypto-shredding). The e-mail
 *   address is kept only as a keyed hash besides, to recognise a repeated subscriber.
 * - `audience_imports`: one accepted CSV file (addresses or subscribers), keyed by a keyed hash
 *   of its content, so the same file twice changes nothing.
 * - The handover's clients come from `client_transfers` and the client vault.
 *
 * Campaigns:
 * - `campaigns`: read model of every campaign (projection of its events): counts and dates only.
 * - `campaign_recipients`: the ledger, one row per (campaign, recipient, channel), frozen when
 *   the campaign is approved. A recipient id is `address:<uuid>`, `subscriber:<uuid>` or
 *   `client:<pseudonym>`: never personal data. Letters are numbered (`seq`) in print order.
 * - `letter_batches`: rendered print files of at most 1,000 letters, with their manifest.
 */
export class ResidentCampaigns1764300000000 implements MigrationInterface {
  name = 'ResidentCampaigns1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('INSERT INTO plan_templates (code, version, name, definition) VALUES ($1, $2, $3, $4)', [
      PROVIDER_CHANGE_V3.code,
      PROVIDER_CHANGE_V3.version,
      PROVIDER_CHANGE_V3.name,
      JSON.stringify(PROVIDER_CHANGE_V3.definition),
    ]);
    await queryRunner.query(`
      CREATE TABLE audience_imports (
        import_id uuid PRIMARY KEY,
        transition_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('addresses', 'subscribers')),
        organisation text,
        file_hash bytea NOT NULL,
        rows integer NOT NULL,
        new_rows integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (transition_id, kind, file_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE resident_addresses (
        address_id uuid PRIMARY KEY,
        transition_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES audience_imports (import_id),
        street text NOT NULL,
        house_number integer NOT NULL,
        addition text NOT NULL DEFAULT '',
        postcode text NOT NULL,
        city text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (transition_id, postcode, house_number, addition)
      )`);
    await queryRunner.query(`
      CREATE TABLE campaign_subscribers (
        subscriber_id uuid PRIMARY KEY,
        transition_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES audience_imports (import_id),
        email_hash bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        personal_data bytea NOT NULL,
        has_address boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (transition_id, email_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE campaigns (
        campaign_id uuid PRIMARY KEY,
        transition_id text NOT NULL,
        municipality text NOT NULL,
        district text NOT NULL,
        state text NOT NULL,
        template_version integer NOT NULL,
        fields jsonb NOT NULL,
        deadline date NOT NULL,
        letters integer NOT NULL DEFAULT 0,
        emails integer NOT NULL DEFAULT 0,
        letters_rendered integer NOT NULL DEFAULT 0,
        letters_posted integer NOT NULL DEFAULT 0,
        emails_sent integer NOT NULL DEFAULT 0,
        emails_bounced integer NOT NULL DEFAULT 0,
        fallback_letters integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        rate_per_hour double precision,
        projected_finish timestamptz,
        behind_schedule boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        approved_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL,
        stream_version integer NOT NULL,
        last_position bigint NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX campaigns_transition ON campaigns (transition_id, created_at)');
    await queryRunner.query(`
      CREATE TABLE campaign_recipients (
        campaign_id uuid NOT NULL,
        recipient_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('letter', 'email')),
        kind text NOT NULL CHECK (kind IN ('address', 'subscriber', 'client')),
        seq integer NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'bounced', 'batched', 'posted', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        message_id text,
        failure_code text,
        batch_no integer,
        fallback boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, channel, recipient_id),
        UNIQUE (campaign_id, channel, seq)
      )`);
    await queryRunner.query('CREATE INDEX campaign_recipients_state ON campaign_recipients (campaign_id, channel, state, seq)');
    await queryRunner.query('CREATE INDEX campaign_recipients_batch ON campaign_recipients (campaign_id, channel, batch_no) WHERE batch_no IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE letter_batches (
        campaign_id uuid NOT NULL,
        batch_no integer NOT NULL,
        letters integer NOT NULL,
        first_seq integer NOT NULL,
        last_seq integer NOT NULL,
        pdf bytea NOT NULL,
        pdf_sha256 text NOT NULL,
        manifest text NOT NULL,
        state text NOT NULL DEFAULT 'rendered' CHECK (state IN ('rendered', 'handed-to-print', 'posted')),
        rendered_at timestamptz NOT NULL DEFAULT now(),
        handed_to_print_at timestamptz,
        posted_at timestamptz,
        PRIMARY KEY (campaign_id, batch_no)
      )`);

    await queryRunner.query(`GRANT SELECT, INSERT ON audience_imports, resident_addresses TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON campaign_subscribers TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON campaigns, campaign_recipients, letter_batches TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM plan_templates WHERE code = $1 AND version = $2', [PROVIDER_CHANGE_V3.code, PROVIDER_CHANGE_V3.version]);
    for (const table of ['letter_batches', 'campaign_recipients', 'campaigns', 'campaign_subscribers', 'resident_addresses', 'audience_imports']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
