import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CampaignMessageFields } from './campaign-message';
import { renderCampaignEmail } from './email/campaign-email';
import { campaignPreview } from './letters/campaign-preview';

/** What the coordinator reads before approving (a sample letter and e-mail), and the print files after. */
@Injectable()
export class CampaignPreviews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async email(transitionId: string, campaignId: string) {
    const { fields, templateVersion } = await this.message(campaignId);
    return {
      email: renderCampaignEmail(fields, templateVersion, null),
      letterPdf: `/transitions/${transitionId}/campaigns/${campaignId}/preview.pdf`,
    };
  }

  async letter(_transitionId: string, campaignId: string): Promise<Buffer> {
    const { fields, templateVersion } = await this.message(campaignId);
    return (await campaignPreview(fields, templateVersion)).pdf;
  }

  async batchFile(campaignId: string, batchNo: number, part: 'pdf' | 'manifest'): Promise<Buffer | string> {
    const [batch] = await this.dataSource.query(`SELECT ${part === 'pdf' ? 'pdf' : 'manifest'} AS content FROM letter_batches WHERE campaign_id = $1 AND batch_no = $2`, [
      campaignId,
      batchNo,
    ]);
    if (!batch) throw new NotFoundException('the print file does not exist in this campaign');
    return batch.content;
  }

  private async message(campaignId: string): Promise<{ fields: CampaignMessageFields; templateVersion: number }> {
    const [campaign] = await this.dataSource.query('SELECT fields, template_version AS "templateVersion" FROM campaigns WHERE campaign_id = $1', [campaignId]);
    if (!campaign) throw new NotFoundException('the campaign does not exist in this handover');
    return campaign;
  }
}
