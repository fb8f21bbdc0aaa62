import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { CampaignState } from './campaign.events';

/** A handover's current resident campaign in brief, as its detail and the list of handovers show it. */
export interface CampaignTally {
  campaignId: string;
  state: CampaignState;
  /** Recipients sent, posted, bounced without fallback or skipped, of all frozen ones (and fallback letters): 0..1. */
  shareDone: number;
  behindSchedule: boolean;
  deadline: string;
  /** Recipients done (sent, posted, bounced without fallback, skipped) of `total` (frozen ones and fallback letters). */
  done: number;
  total: number;
}

/** done / total, 0..1 to three decimals; a campaign without recipients is done when completed. */
export const campaignShareDone = (state: CampaignState, done: number, total: number) =>
  total === 0 ? (state === 'completed' ? 1 : 0) : Math.round((done / total) * 1000) / 1000;

export class CampaignTallyResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ enum: ['draft', 'approved', 'sending', 'paused', 'completed', 'cancelled'] }) state: string;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1 }) shareDone: number;
  @ApiProperty({ description: 'Will not, or did not, inform everyone by its deadline: the handover is at risk' }) behindSchedule: boolean;
  @ApiProperty({ format: 'date' }) deadline: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Recipients sent, posted, bounced without fallback or skipped' }) done: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Recipients frozen at approval, and fallback letters' }) total: number;
}

/** The latest campaign of each of these handovers (null without one), from the campaigns read model in one query. */
export async function campaignTallies(dataSource: DataSource, transitionIds: readonly string[]): Promise<Map<string, CampaignTally | null>> {
  const tallies = new Map<string, CampaignTally | null>(transitionIds.map((id) => [id, null]));
  if (transitionIds.length === 0) return tallies;
  const rows: Array<CampaignTally & { transitionId: string }> = await dataSource.query(
    `SELECT DISTINCT ON (transition_id) transition_id AS "transitionId", campaign_id AS "campaignId", state,
            behind_schedule AS "behindSchedule", to_char(deadline, 'YYYY-MM-DD') AS deadline,
            emails_sent + emails_bounced + letters_posted + skipped AS done, emails + letters + fallback_letters AS total
     FROM campaigns WHERE transition_id = ANY ($1::text[])
     ORDER BY transition_id, created_at DESC`,
    [transitionIds],
  );
  for (const { transitionId, ...tally } of rows) {
    tallies.set(transitionId, { ...tally, shareDone: campaignShareDone(tally.state, tally.done, tally.total) });
  }
  return tallies;
}
