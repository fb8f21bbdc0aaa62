import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../events/event.types';
import { InlineProjection, Projection } from '../events/projection';
import { CAMPAIGN_EVENT_TYPES, CampaignEvent } from './campaign.events';

/** The campaign id at the end of its stream id (`campaign.<transitionId>.<campaignId>`). */
const campaignIdOfStream = (streamId: string) => streamId.slice(-36);

/**
 * `campaigns`, the read model behind a campaign's progress and the handovers' share done: state,
 * dates and counts per channel. Each event changes the row once (a replayed or older event
 * leaves it as it is); a rebuild starts from an empty table.
 */
@Injectable()
@InlineProjection()
export class CampaignProjection implements Projection<CampaignEvent> {
  readonly name = 'campaigns';
  readonly tables = ['campaigns'];
  readonly handles = CAMPAIGN_EVENT_TYPES;

  async apply(event: RecordedEvent<CampaignEvent>, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'CampaignDrafted': {
        const { campaignId, transitionId, municipality, district, templateVersion, fields, deadline } = event.data;
        await manager.query(
          `INSERT INTO campaigns (campaign_id, transition_id, municipality, district, state, template_version, fields, deadline,
                                  created_at, updated_at, stream_version, last_position)
           VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $8, $9, $10)
           ON CONFLICT (campaign_id) DO NOTHING`,
          [campaignId, transitionId, municipality, district, templateVersion, JSON.stringify(fields), deadline, event.recordedAt, event.streamVersion, event.globalPosition],
        );
        return;
      }
      case 'CampaignEdited':
        return this.update(manager, event, 'template_version = $5, fields = $6, deadline = $7', [
          event.data.templateVersion, JSON.stringify(event.data.fields), event.data.deadline,
        ]);
      case 'CampaignApproved':
        return this.update(manager, event, "state = 'approved', approved_at = $2", []);
      case 'RecipientsFrozen':
        return this.update(manager, event, "state = 'sending', letters = $5, emails = $6", [
          event.data.addressLetters + event.data.clientLetters, event.data.emails,
        ]);
      case 'CampaignPaused':
        return this.update(manager, event, "state = 'paused'", []);
      case 'CampaignResumed':
        return this.update(manager, event, "state = 'sending'", []);
      case 'CampaignCancelled':
        return this.update(manager, event, "state = 'cancelled', finished_at = $2", []);
      case 'EmailPageSent':
        return this.update(manager, event, 'emails_sent = emails_sent + $5, emails_bounced = emails_bounced + $6, fallback_letters = fallback_letters + $7, skipped = skipped + $8', [
          event.data.sent, event.data.bounced, event.data.fallbackLetters, event.data.skipped,
        ]);
      case 'LetterBatchRendered':
        return this.update(manager, event, 'letters_rendered = letters_rendered + $5, skipped = skipped + $6', [event.data.letters, event.data.skipped]);
      case 'LetterBatchHandedToPrint':
        await this.batchState(manager, event, event.data.batchNo, "state = 'handed-to-print', handed_to_print_at = $3");
        return this.update(manager, event, '', []);
      case 'LetterBatchPosted':
        await this.batchState(manager, event, event.data.batchNo, "state = 'posted', posted_at = $3");
        // The ledger's letters of the print file are posted with it (what the progress counts as done).
        await manager.query(
          `UPDATE campaign_recipients SET state = 'posted', updated_at = $3
           WHERE campaign_id = $1 AND channel = 'letter' AND batch_no = $2 AND state = 'batched'`,
          [campaignIdOfStream(event.streamId), event.data.batchNo, event.recordedAt],
        );
        return this.update(manager, event, 'letters_posted = letters_posted + $5', [event.data.letters]);
      case 'CampaignProjected':
        return this.update(manager, event, 'rate_per_hour = $5, projected_finish = $6', [event.data.ratePerHour, event.data.projectedFinish]);
      case 'CampaignBehindSchedule':
        return this.update(manager, event, 'behind_schedule = true', []);
      case 'CampaignBackOnSchedule':
        return this.update(manager, event, 'behind_schedule = false', []);
      case 'CampaignCompleted':
        return this.update(manager, event, "state = 'completed', behind_schedule = false, finished_at = $2", []);
    }
  }

  /** The print file's own row (written by the activity that rendered it) follows the coordinator's marks. */
  private async batchState(manager: EntityManager, event: RecordedEvent<CampaignEvent>, batchNo: number, set: string): Promise<void> {
    await manager.query(`UPDATE letter_batches SET ${set} WHERE campaign_id = $1 AND batch_no = $2`, [
      campaignIdOfStream(event.streamId), batchNo, event.recordedAt,
    ]);
  }

  private async update(manager: EntityManager, event: RecordedEvent<CampaignEvent>, set: string, values: unknown[]): Promise<void> {
    await manager.query(
      `UPDATE campaigns SET ${set ? `${set}, ` : ''}updated_at = $2, stream_version = $3, last_position = $4
       WHERE campaign_id = $1 AND last_position < $4`,
      [campaignIdOfStream(event.streamId), event.recordedAt, event.streamVersion, event.globalPosition, ...values],
    );
  }
}
