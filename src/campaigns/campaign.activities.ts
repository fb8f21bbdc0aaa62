import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import canonicalize from 'canonicalize';
import type { DataSource } from 'typeorm';
import type { RenderedBatch, EmailPage } from '../../workflows/campaign/decide';
import { reportResidentCampaignUpdate, ResidentCampaignReport } from '../../workflows/transition/definitions';
import type { CampaignMessageFields } from './campaign-message';
import { LETTERS_PER_BATCH } from './campaign-recipient';
import type { LetterAddressees } from './letters/letter-addressees';
import type { LetterPrinter } from './letters/letter-printer';

export interface CampaignEmailPages {
  sendPage(input: { campaignId: string; limit: number }, heartbeat?: (progress: { seq: number }) => void): Promise<EmailPage>;
}

export interface CampaignActivityDependencies {
  dataSource: DataSource;
  temporal: Client;
  campaigns: { emailSender: CampaignEmailPages; letterAddressees: LetterAddressees; printer: Pick<LetterPrinter, 'missingMergeFields' | 'print'> };
}

/** Serialises work on one campaign's ledger (freeze, a print file) across retries and workers. */
const CAMPAIGN_LOCK_CLASS = 0x0ca3;

/** Activities of the campaign workflow: the ledger's freeze, e-mail pages, letter batches, the handover. */
export function createCampaignActivities({ dataSource, temporal, campaigns }: CampaignActivityDependencies) {
  const { emailSender, letterAddressees, printer } = campaigns;
  const lockCampaign = (manager: { query: DataSource['query'] }, campaignId: string) =>
    manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CAMPAIGN_LOCK_CLASS, campaignId]);

  return {
    /** What the coordinator approves: a hash of exactly this message, and what it still lacks. */
    async digestCampaignMessage({ templateVersion, fields }: { templateVersion: number; fields: CampaignMessageFields }) {
      const messageSha256 = createHash('sha256').update(canonicalize({ templateVersion, fields })!).digest('hex');
      return { messageSha256, missingFields: printer.missingMergeFields(fields, templateVersion) };
    },

    /**
     * Freezes the recipients into the ledger, once: every address of the district (letters in
     * print order), every client whose transfer has not ended (a personal letter), every
     * subscriber (an e-mail). A retry finds the ledger filled and returns its counts.
     */
    async freezeRecipients({ campaignId, transitionId }: { campaignId: string; transitionId: string }) {
      return dataSource.transaction(async (manager) => {
        await lockCampaign(manager, campaignId);
        const [{ frozen }] = await manager.query('SELECT count(*)::int AS frozen FROM campaign_recipients WHERE campaign_id = $1', [campaignId]);
        if (frozen === 0) {
          await manager.query(
            `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
             SELECT $1, 'address:' || address_id, 'letter', 'address',
                    row_number() OVER (ORDER BY postcode, house_number, addition, address_id), 'pending'
             FROM resident_addresses WHERE transition_id = $2`,
            [campaignId, transitionId],
          );
          await manager.query(
            `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
             SELECT $1, 'client:' || pseudonym, 'letter', 'client',
                    (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'letter') + row_number() OVER (ORDER BY pseudonym),
                    'pending'
             FROM client_transfers WHERE transition_id = $2 AND step <> 'ended' AND NOT erased`,
            [campaignId, transitionId],
          );
          await manager.query(
            `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
             SELECT $1, 'subscriber:' || subscriber_id, 'email', 'subscriber', row_number() OVER (ORDER BY subscriber_id), 'pending'
             FROM campaign_subscribers WHERE transition_id = $2`,
            [campaignId, transitionId],
          );
        }
        const [counts] = await manager.query(
          `SELECT count(*) FILTER (WHERE kind = 'address')::int AS "addressLetters",
                  count(*) FILTER (WHERE kind = 'client')::int AS "clientLetters",
                  count(*) FILTER (WHERE channel = 'email')::int AS emails
           FROM campaign_recipients WHERE campaign_id = $1 AND NOT fallback`,
          [campaignId],
        );
        return counts as { addressLetters: number; clientLetters: number; emails: number };
      });
    },

    /**
     * One page of e-mails through the ledger sender; heartbeats the sequence number it reached.
     * A retry answers the ledger's totals too: outcomes an earlier attempt recorded before its
     * worker died are in no page's own counts (see emailPageCounts in workflows/campaign/decide.ts).
     */
    async sendEmailPage(input: { campaignId: string; limit: number }): Promise<EmailPage> {
      const context = Context.current();
      const page = await emailSender.sendPage(input, (progress) => context.heartbeat(progress.seq));
      if (context.info.attempt === 1) return page;
      const [ledger] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE channel = 'email' AND state = 'sent')::int AS sent,
                count(*) FILTER (WHERE channel = 'email' AND state = 'bounced')::int AS bounced,
                count(*) FILTER (WHERE channel = 'email' AND state = 'skipped')::int AS skipped,
                count(*) FILTER (WHERE channel = 'letter' AND fallback)::int AS "fallbackLetters"
         FROM campaign_recipients WHERE campaign_id = $1`,
        [input.campaignId],
      );
      return { ...page, ledger };
    },

    /**
     * Renders the next print file: up to 1,000 pending letters in ledger order, each file sorted
     * by postcode and house number, stored with its manifest in the same transaction that marks its
     * letters batched. A retry of a batch already stored returns it as it is.
     */
    async renderLetterBatch(input: {
      campaignId: string;
      transitionId: string;
      batchNo: number;
      templateVersion: number;
      fields: CampaignMessageFields;
    }): Promise<RenderedBatch> {
      const { campaignId, batchNo } = input;
      return dataSource.transaction(async (manager) => {
        await lockCampaign(manager, campaignId);
        const [stored] = await manager.query(
          `SELECT b.letters, b.pdf_sha256 AS "pdfSha256",
                  (SELECT count(*)::int FROM campaign_recipients r
                   WHERE r.campaign_id = b.campaign_id AND r.channel = 'letter' AND r.batch_no = b.batch_no AND r.state = 'skipped') AS skipped
           FROM letter_batches b WHERE b.campaign_id = $1 AND b.batch_no = $2`,
          [campaignId, batchNo],
        );
        if (stored) return { batchNo, letters: stored.letters, skipped: stored.skipped, pdfSha256: stored.pdfSha256 };
        // A batch whose every letter was skipped has no print file: its ledger rows are the batch.
        const [{ skippedBefore }] = await manager.query(
          `SELECT count(*)::int AS "skippedBefore" FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'letter' AND batch_no = $2`,
          [campaignId, batchNo],
        );
        if (skippedBefore > 0) return { batchNo, letters: 0, skipped: skippedBefore, pdfSha256: '' };

        const pending: Array<{ recipientId: string; seq: number }> = await manager.query(
          `SELECT recipient_id AS "recipientId", seq FROM campaign_recipients
           WHERE campaign_id = $1 AND channel = 'letter' AND state = 'pending' ORDER BY seq LIMIT $2`,
          [campaignId, LETTERS_PER_BATCH],
        );
        const { addressees, skipped } = await letterAddressees.resolve(pending, manager);
        Context.current().heartbeat(pending.length);
        const letters = addressees.length;
        let pdfSha256 = '';
        if (letters > 0) {
          const { pdf, manifest } = await printer.print(input.fields, input.templateVersion, batchNo, addressees, new Date());
          pdfSha256 = createHash('sha256').update(pdf).digest('hex');
          await manager.query(
            `INSERT INTO letter_batches (campaign_id, batch_no, letters, first_seq, last_seq, pdf, pdf_sha256, manifest)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [campaignId, batchNo, letters, pending[0].seq, pending[pending.length - 1].seq, pdf, pdfSha256, manifest],
          );
        }
        await manager.query(
          `UPDATE campaign_recipients SET state = CASE WHEN recipient_id = ANY($4::text[]) THEN 'skipped' ELSE 'batched' END,
                  batch_no = $3, updated_at = now()
           WHERE campaign_id = $1 AND channel = 'letter' AND recipient_id = ANY($2::text[])`,
          [campaignId, pending.map((row) => row.recipientId), batchNo, skipped],
        );
        return { batchNo, letters, skipped: skipped.length, pdfSha256 };
      });
    },

    /**
     * Tells the handover how its campaign stands; one update id per campaign, view and the campaign's
     * stream version then, so a retry is one report, and a campaign behind, back on schedule and
     * behind again is heard each time.
     */
    async reportCampaignToHandover({ transitionId, version, ...report }: ResidentCampaignReport & { transitionId: string; version: number }): Promise<void> {
      try {
        await temporal.workflow
          .getHandle(transitionId)
          .executeUpdate(reportResidentCampaignUpdate, { args: [report], updateId: `campaign:${report.campaignId}:${report.view}:${version}` });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return; // the handover has ended: nothing to tell
        throw error;
      }
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
