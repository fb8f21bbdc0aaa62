import { ApiProperty } from '@nestjs/swagger';

/** The cursor of a page's answer: where the next page starts, null on the last. */
export const NextCursor = (description = 'Pass as cursor for the next page; null on the last page') =>
  ApiProperty({ type: String, nullable: true, pattern: '^[A-Za-z0-9_-]+$', description });
