import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CampaignMessageFields } from './campaign-message';
import type { RecipientState } from './campaign-recipient';
import type { CampaignState } from './campaign.events';

export interface CampaignProgress {
  campaignId: string;
  transitionId: string;
  state: CampaignState;
  /** The campaign's stream version: what an approval names as `expectedVersion`. */
  version: number;
  templateVersion: number;
  fields: CampaignMessageFields;
  deadline: string;
  createdAt: string;
  approvedAt: string | null;
  finishedAt: string | null;
  /** Ledger rows per channel and state (counts only). */
  recipients: { letter: Partial<Record<RecipientState, number>>; email: Partial<Record<RecipientState, number>> };
  /** Messages handled per hour since sending began, and the finish it projects; null before. */
  ratePerHour: number | null;
  projectedFinish: string | null;
  behindSchedule: boolean;
  /** Recipients sent, posted, bounced without fallback or skipped, of all: 0–1. */
  shareDone: number;
  batches: Array<{ batchNo: number; letters: number; state: string; pdfSha256: string; renderedAt: string; handedToPrintAt: string | null; postedAt: string | null }>;
}

/** A campaign's progress from its read model and ledger: counts, pace, projection, print files. */
@Injectable()
export class CampaignProgressReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async progress(transitionId: string, campaignId: string): Promise<CampaignProgress> {
    const [campaign] = await this.dataSource.query(
      `SELECT campaign_id AS "campaignId", transition_id AS "transitionId", state, stream_version AS version,
              template_version AS "templateVersion", fields, to_char(deadline, 'YYYY-MM-DD') AS deadline,
              created_at AS "createdAt", approved_at AS "approvedAt", finished_at AS "finishedAt",
              rate_per_hour AS "ratePerHour", projected_finish AS "projectedFinish", behind_schedule AS "behindSchedule"
       FROM campaigns WHERE campaign_id = $1 AND transition_id = $2`,
      [campaignId, transitionId],
    );
    if (!campaign) throw new NotFoundException('the campaign does not exist in this handover');
    const counts: Array<{ channel: 'letter' | 'email'; state: RecipientState; n: number }> = await this.dataSource.query(
      'SELECT channel, state, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY channel, state',
      [campaignId],
    );
    const recipients: CampaignProgress['recipients'] = { letter: {}, email: {} };
    for (const { channel, state, n } of counts) recipients[channel][state] = n;
    const batches = await this.dataSource.query(
      `SELECT batch_no AS "batchNo", letters, state, pdf_sha256 AS "pdfSha256", rendered_at AS "renderedAt",
              handed_to_print_at AS "handedToPrintAt", posted_at AS "postedAt"
       FROM letter_batches WHERE campaign_id = $1 ORDER BY batch_no`,
      [campaignId],
    );
    return {
      ...campaign,
      createdAt: iso(campaign.createdAt)!,
      approvedAt: iso(campaign.approvedAt),
      finishedAt: iso(campaign.finishedAt),
      projectedFinish: iso(campaign.projectedFinish),
      recipients,
      shareDone: shareDone(recipients),
      batches: batches.map((b: CampaignProgress['batches'][number]) => ({ ...b, renderedAt: iso(b.renderedAt)!, handedToPrintAt: iso(b.handedToPrintAt), postedAt: iso(b.postedAt) })),
    };
  }

  async list(transitionId: string): Promise<Array<{ campaignId: string; state: CampaignState; createdAt: string }>> {
    const rows = await this.dataSource.query(
      'SELECT campaign_id AS "campaignId", state, created_at AS "createdAt" FROM campaigns WHERE transition_id = $1 ORDER BY created_at',
      [transitionId],
    );
    return rows.map((row: { campaignId: string; state: CampaignState; createdAt: Date }) => ({ ...row, createdAt: iso(row.createdAt)! }));
  }
}

/** Done: an e-mail sent or bounced (a fallback letter is then a recipient of its own), a letter posted, a recipient skipped. */
export function shareDone(recipients: CampaignProgress['recipients']): number {
  const total = sum(recipients.letter) + sum(recipients.email);
  if (total === 0) return 0;
  const done = (recipients.email.sent ?? 0) + (recipients.email.bounced ?? 0) + (recipients.email.skipped ?? 0) +
    (recipients.letter.posted ?? 0) + (recipients.letter.skipped ?? 0);
  return Math.round((done / total) * 1000) / 1000;
}

const sum = (counts: Partial<Record<string, number>>) => Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
