import { ConfigService } from '@nestjs/config';
import type { DataSource } from 'typeorm';
import { CampaignEmailSender, EmailComposer } from './campaign-email-sender';

/** The campaign e-mail sender's settings, from the validated environment (src/config/environment.ts). */
export interface CampaignEmailSettings {
  smtpUrl: string;
  from: string;
  /** CAMPAIGN_SMTP_MAX_CONNECTIONS, default 5. */
  maxConnections: number;
  /** CAMPAIGN_SMTP_RATE_PER_SECOND, default 20; 0: no limit. */
  ratePerSecond: number;
  /** CAMPAIGN_EMAIL_PAGE_SIZE, default 500: the `limit` of one sendPage. */
  pageSize: number;
}

export function campaignEmailSettings(config: ConfigService): CampaignEmailSettings {
  return {
    smtpUrl: config.getOrThrow<string>('SMTP_URL'),
    from: config.getOrThrow<string>('MAIL_FROM'),
    maxConnections: config.getOrThrow<number>('CAMPAIGN_SMTP_MAX_CONNECTIONS'),
    ratePerSecond: config.getOrThrow<number>('CAMPAIGN_SMTP_RATE_PER_SECOND'),
    pageSize: config.getOrThrow<number>('CAMPAIGN_EMAIL_PAGE_SIZE'),
  };
}

/** The sender as the service builds it: SMTP_URL, MAIL_FROM and the CAMPAIGN_* settings (a Nest provider's factory). */
export function createCampaignEmailSender(config: ConfigService, dataSource: DataSource, composer: EmailComposer): CampaignEmailSender {
  const { smtpUrl, from, maxConnections, ratePerSecond } = campaignEmailSettings(config);
  return new CampaignEmailSender({ dataSource, smtpUrl, from, maxConnections, ratePerSecond, composer });
}
