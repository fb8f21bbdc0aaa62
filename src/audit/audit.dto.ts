import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ACCEPTABLE_TEXT_PATTERN } from '../validation/control-characters.pipe';

/** Longest stream id a verification accepts. */
export const STREAM_ID_MAX_LENGTH = 200;

export class VerifyQuery {
  @ApiPropertyOptional({
    description: 'One stream (a transition id); all streams when left out',
    maxLength: STREAM_ID_MAX_LENGTH,
    pattern: ACCEPTABLE_TEXT_PATTERN.source,
    example: 'rotterdam.feijenoord.2027-06-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(STREAM_ID_MAX_LENGTH)
  streamId?: string;
}

export class AuditExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: for Dutch Excel (UTF-8 with BOM, `;` between fields)' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format: 'json' | 'csv' = 'json';
}
