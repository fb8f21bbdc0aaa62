import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength, Validate, ValidateIf } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { CODE } from '../../organisations/codes';
import { ACCEPTABLE_TEXT_PATTERN } from '../../validation/control-characters.pipe';
import { addDays } from '../../time/calendar';
import {
  CODE_MAX_LENGTH,
  DATE_PATTERN,
  exampleGoLiveDate,
  IsFutureAmsterdamDate,
  IsWithinGoLiveHorizon,
  MAX_GO_LIVE_YEARS_AHEAD,
  TRANSITION_ID_MAX_LENGTH,
} from './transition-validators';

export const NOTE_HINT = 'Free text for the audit trail; never names, addresses or other details of residents';

/** Longest note or reason: a few sentences for the audit trail. */
export const TEXT_MAX_LENGTH = 500;

/** Shortest reason: it must say why. */
export const REASON_MIN_LENGTH = 3;

/** What the document says of every free text a caller sends (notes, reasons). */
export const FREE_TEXT = {
  pattern: ACCEPTABLE_TEXT_PATTERN.source,
  maxLength: TEXT_MAX_LENGTH,
} as const;

/** What the document says of a transition id in a path. */
export const TRANSITION_ID_PROPERTY = {
  description: 'The handover: municipality, district and go-live, joined by dots',
  pattern: TRANSITION_ID_PATTERN.source,
  maxLength: TRANSITION_ID_MAX_LENGTH,
  example: `rotterdam.feijenoord.${exampleGoLiveDate}`,
} as const;

export class MilestoneParams {
  @ApiProperty(TRANSITION_ID_PROPERTY)
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;

  @ApiProperty({ description: 'A milestone code of the handover', pattern: CODE.source, maxLength: CODE_MAX_LENGTH, example: 'partners-introduced' })
  @Matches(CODE, { message: 'milestoneId must be a milestone code such as residents-informed' })
  @MaxLength(CODE_MAX_LENGTH)
  milestoneId: string;
}

export class ReasonDto {
  @ApiProperty({ description: NOTE_HINT, minLength: REASON_MIN_LENGTH, ...FREE_TEXT, example: 'Locations not ready' })
  @IsString({ message: 'reason must be text' })
  @MinLength(REASON_MIN_LENGTH, { message: `reason must say why (${REASON_MIN_LENGTH} characters or more)` })
  @MaxLength(TEXT_MAX_LENGTH)
  reason: string;
}

/** An optional note for the audit trail, with a command. */
export class NoteDto {
  @ApiPropertyOptional({ description: NOTE_HINT, ...FREE_TEXT, example: 'Held at the district office' })
  // Left out means no note; null is no text, and refused like any other non-text value.
  @ValidateIf((dto: NoteDto) => dto.note !== undefined)
  @IsString({ message: 'note must be text' })
  @MaxLength(TEXT_MAX_LENGTH)
  note?: string;
}

export class SignOffDto extends NoteDto {}

export class MoveGoLiveDto extends ReasonDto {
  @ApiProperty({
    format: 'date',
    pattern: DATE_PATTERN.source,
    example: exampleGoLiveDate,
    description: 'The go-live date as you saw it (YYYY-MM-DD); a concurrent move makes this request a 409',
  })
  @Matches(DATE_PATTERN, { message: 'expectedGoLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'expectedGoLiveDate must be a real calendar date' })
  expectedGoLiveDate: string;

  @ApiProperty({
    format: 'date',
    pattern: DATE_PATTERN.source,
    example: addDays(exampleGoLiveDate, 92),
    description: `The new go-live (YYYY-MM-DD): after today, at most ${MAX_GO_LIVE_YEARS_AHEAD} years ahead (Europe/Amsterdam)`,
  })
  @Matches(DATE_PATTERN, { message: 'goLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'goLiveDate must be a real calendar date' })
  @Validate(IsFutureAmsterdamDate)
  @Validate(IsWithinGoLiveHorizon)
  goLiveDate: string;
}
