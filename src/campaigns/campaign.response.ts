import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CampaignFieldsDto } from './campaign.dto';

const CAMPAIGN_STATES = ['draft', 'approved', 'sending', 'paused', 'completed', 'cancelled'];
const COUNT = { type: 'integer', minimum: 0 } as const;

class CampaignMessageFieldsResponse extends CampaignFieldsDto {
  @ApiProperty({ description: "The district's name as residents know it" }) district: string;
  @ApiProperty({ format: 'date' }) goLiveDate: string;
}

export class LetterCountsResponse {
  @ApiPropertyOptional(COUNT) pending?: number;
  @ApiPropertyOptional(COUNT) batched?: number;
  @ApiPropertyOptional(COUNT) posted?: number;
  @ApiPropertyOptional(COUNT) skipped?: number;
}

export class EmailCountsResponse {
  @ApiPropertyOptional(COUNT) pending?: number;
  @ApiPropertyOptional(COUNT) sending?: number;
  @ApiPropertyOptional(COUNT) sent?: number;
  @ApiPropertyOptional(COUNT) bounced?: number;
  @ApiPropertyOptional(COUNT) skipped?: number;
}

export class RecipientCountsResponse {
  @ApiProperty({ type: LetterCountsResponse }) letter: LetterCountsResponse;
  @ApiProperty({ type: EmailCountsResponse }) email: EmailCountsResponse;
}

export class LetterBatchResponse {
  @ApiProperty({ type: 'integer', minimum: 1 }) batchNo: number;
  @ApiProperty(COUNT) letters: number;
  @ApiProperty({ enum: ['rendered', 'handed-to-print', 'posted'] }) state: string;
  @ApiProperty({ description: 'SHA-256 of the print file (hex), as recorded in the audit trail' }) pdfSha256: string;
  @ApiProperty({ format: 'date-time' }) renderedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) handedToPrintAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) postedAt: string | null;
}

export class CampaignProgressResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty() transitionId: string;
  @ApiProperty({ enum: CAMPAIGN_STATES }) state: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it as expectedVersion when approving' }) version: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) templateVersion: number;
  @ApiProperty({ type: CampaignMessageFieldsResponse }) fields: CampaignMessageFieldsResponse;
  @ApiProperty({ format: 'date', description: 'By this day every recipient is informed' }) deadline: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ type: RecipientCountsResponse, description: 'Ledger rows per channel and state: counts only' }) recipients: RecipientCountsResponse;
  @ApiProperty({ type: Number, nullable: true, description: 'Messages handled per hour since sending began' }) ratePerHour: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the campaign finishes at the measured pace' }) projectedFinish: string | null;
  @ApiProperty({ description: 'The projection passes the deadline, or the deadline passed with recipients left' }) behindSchedule: boolean;
  @ApiProperty({ minimum: 0, maximum: 1 }) shareDone: number;
  @ApiProperty({ type: [LetterBatchResponse] }) batches: LetterBatchResponse[];
}

export class CampaignListItemResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ enum: CAMPAIGN_STATES }) state: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EmailPreviewResponse {
  @ApiProperty() subject: string;
  @ApiProperty() html: string;
  @ApiProperty() text: string;
}

export class CampaignPreviewResponse {
  @ApiProperty({ type: EmailPreviewResponse }) email: EmailPreviewResponse;
  @ApiProperty({ description: 'Where the sample letter (PDF) is' }) letterPdf: string;
}
