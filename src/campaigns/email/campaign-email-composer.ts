import type { DataSource } from 'typeorm';
import type { SubscriberVault } from '../audiences/subscriber-vault';
import type { CampaignMessageFields } from '../campaign-message';
import { parseRecipientId } from '../campaign-recipient';
import type { ComposedEmail, EmailComposer } from '../sending/campaign-email-sender';
import { renderCampaignEmail } from './campaign-email';

/**
 * The e-mails of one page: the campaign's approved message (from its read model) to each
 * subscriber, opened from the vault in one go; an erased subscriber gets nothing (null: skipped).
 */
export class CampaignEmailComposer implements EmailComposer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscribers: Pick<SubscriberVault, 'open'>,
  ) {}

  async compose(campaignId: string, recipients: { recipientId: string; seq: number }[]): Promise<Map<string, ComposedEmail | null>> {
    const [campaign] = await this.dataSource.query('SELECT template_version AS "templateVersion", fields FROM campaigns WHERE campaign_id = $1', [campaignId]);
    if (!campaign) throw new Error(`campaign ${campaignId} is not in the read model`);
    const { templateVersion, fields } = campaign as { templateVersion: number; fields: CampaignMessageFields };
    const ids = recipients.map(({ recipientId }) => parseRecipientId(recipientId).id);
    const opened = await this.subscribers.open(ids);
    const composed = new Map<string, ComposedEmail | null>();
    for (const { recipientId } of recipients) {
      const subscriber = opened.get(parseRecipientId(recipientId).id);
      if (!subscriber) {
        composed.set(recipientId, null);
        continue;
      }
      const email = renderCampaignEmail(fields, templateVersion, subscriber.name);
      composed.set(recipientId, { to: subscriber.email, ...email });
    }
    return composed;
  }
}
