import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class VerifyQuery {
  @ApiPropertyOptional({ description: 'One stream (a transition id); all streams when left out' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streamId?: string;
}

export class AuditExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format: 'json' | 'csv' = 'json';
}
