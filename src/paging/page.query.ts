import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { CURSOR_MAX_LENGTH, CURSOR_RULE } from './cursor';
import { DEFAULT_LIMIT, MAX_LIMIT } from './page';

const LIMIT_RULE = `limit must be a whole number from 1 to ${MAX_LIMIT}`;

/** `cursor` and `limit` of a paged list; a list's query extends it with its filters. */
export class PageQuery {
  @ApiPropertyOptional({
    description: 'The nextCursor of the page before, unchanged (opaque); the first page without it',
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength: CURSOR_MAX_LENGTH,
  })
  @IsOptional()
  @MaxLength(CURSOR_MAX_LENGTH, { message: CURSOR_RULE })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: CURSOR_RULE })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Items per page' })
  @IsOptional()
  @Transform(({ obj }) => (typeof obj.limit === 'string' && /^[0-9]{1,4}$/.test(obj.limit) ? Number(obj.limit) : obj.limit))
  @IsInt({ message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @Max(MAX_LIMIT, { message: LIMIT_RULE })
  limit?: number;
}
