import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { PSEUDONYM_PATTERN, TARGET_GROUPS, TargetGroup, TransferStep } from '../client.events';
import { TRANSFER_STEPS } from './client-transfer.response';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** Filters and the page of a list of client transfers; every filter is applied in SQL. */
export class ClientListQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STEPS, description: 'Only transfers in this step' })
  @IsOptional()
  @IsIn(TRANSFER_STEPS, { message: `step must be one of ${TRANSFER_STEPS.join(', ')}` })
  step?: TransferStep;

  @ApiPropertyOptional({ enum: TARGET_GROUPS, description: 'Only clients of this target group' })
  @IsOptional()
  @IsIn(TARGET_GROUPS, { message: `targetGroup must be one of ${TARGET_GROUPS.join(', ')}` })
  targetGroup?: TargetGroup;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      "true: only stalled transfers (waiting for a provider past the step's business days); false: only the others",
  })
  @IsOptional()
  @Transform(({ obj }) => (obj.stalled === 'true' ? true : obj.stalled === 'false' ? false : obj.stalled))
  @IsBoolean({ message: 'stalled must be true or false' })
  stalled?: boolean;

  @ApiPropertyOptional({ pattern: PSEUDONYM_PATTERN.source, description: 'The nextCursor of the page before' })
  @IsOptional()
  @MaxLength(20, { message: 'cursor must be the nextCursor of a page (20 lowercase hex characters)' })
  @Matches(PSEUDONYM_PATTERN, { message: 'cursor must be the nextCursor of a page (20 lowercase hex characters)' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(({ obj }) => (typeof obj.limit === 'string' && /^[0-9]{1,4}$/.test(obj.limit) ? Number(obj.limit) : obj.limit))
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  limit?: number;
}
