import { CampaignMessageFields } from '../campaign-message';
import { CampaignEmail, renderCampaignEmail } from '../email/campaign-email';
import { renderLetterBatch } from './letter-pdf';
import { SAMPLE_ADDRESSEE } from './sample-letter';

export interface CampaignPreview {
  pdf: Buffer;
  email: CampaignEmail;
}

/**
 * What `GET …/campaigns/:id/preview` shows before approval: the letter to a fictional address
 * (SAMPLE_ADDRESSEE, never a resident's) as PDF, and the e-mail as a subscriber without a name
 * gets it. `createdAt` fixes the letter's date (default: now).
 */
export async function campaignPreview(
  fields: CampaignMessageFields,
  templateVersion: number,
  options?: { createdAt: Date },
): Promise<CampaignPreview> {
  const pdf = await renderLetterBatch(fields, templateVersion, [SAMPLE_ADDRESSEE], options);
  return { pdf, email: renderCampaignEmail(fields, templateVersion, null) };
}
