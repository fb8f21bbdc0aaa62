import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ACCEPTABLE_TEXT_PATTERN } from '../../validation/control-characters.pipe';
import type { AudienceKind } from './audience.events';

export class AudienceImportResponse {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ enum: ['addresses', 'subscribers'] }) kind: AudienceKind;
  @ApiProperty({ type: 'integer', description: 'Rows in the file' }) rows: number;
  @ApiProperty({ type: 'integer', description: 'Rows the handover did not know yet (the others are kept as they were)' }) newRows: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'True when this very file was imported before: nothing changed' }) repeated: boolean;
}

export class AudienceImportSummary {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ enum: ['addresses', 'subscribers'] }) kind: AudienceKind;
  @ApiProperty({ type: 'integer' }) rows: number;
  @ApiProperty({ type: 'integer' }) newRows: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AudienceCountsResponse {
  @ApiProperty({ type: 'integer', description: 'Addresses of the district (a letter "Aan de bewoners van" each)' }) addresses: number;
  @ApiProperty({ type: 'integer', description: 'E-mail subscribers' }) subscribers: number;
  @ApiProperty({ type: 'integer', description: 'Subscribers who gave an address too (a fallback letter when the e-mail bounces)' })
  subscribersWithAddress: number;
  @ApiProperty({ type: [AudienceImportSummary], description: 'Accepted files, oldest first' }) imports: AudienceImportSummary[];
}

export class EraseSubscriberDto {
  @ApiProperty({ description: "The subscriber's e-mail address", maxLength: 254, minLength: 1, pattern: ACCEPTABLE_TEXT_PATTERN.source })
  @IsString({ message: 'email must be text' })
  @MinLength(1, { message: 'email must not be empty' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;
}
