import { Module } from '@nestjs/common';
import { AudiencesModule } from './audiences/audiences.module';
import { CampaignController } from './campaign.controller';
import { CampaignPreviews } from './campaign-previews';
import { CampaignProgressReader } from './campaign-progress';
import { CampaignProjection } from './campaign.projection';
import { CampaignService } from './campaign.service';

/**
 * Resident campaigns: audiences (addresses, subscribers), the campaign's commands and reads, its
 * read model (projection, applied inline wherever events are appended, so in the worker too).
 */
@Module({
  imports: [AudiencesModule],
  controllers: [CampaignController],
  providers: [CampaignProjection, CampaignService, CampaignProgressReader, CampaignPreviews],
})
export class CampaignsModule {}
