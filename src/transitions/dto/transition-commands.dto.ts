import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, Validate } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { CODE } from '../../organisations/codes';
import {
  CODE_MAX_LENGTH,
  IsFutureAmsterdamDate,
  IsWithinGoLiveHorizon,
  MAX_GO_LIVE_YEARS_AHEAD,
  TRANSITION_ID_MAX_LENGTH,
} from './transition-validators';

export const NOTE_HINT = 'Free text for the audit trail; never names, addresses or other details of residents';

/** Longest note or reason: a few sentences for the audit trail. */
export const TEXT_MAX_LENGTH = 500;

export class MilestoneParams {
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;

  @Matches(CODE, { message: 'milestoneId must be a milestone code such as residents-informed' })
  @MaxLength(CODE_MAX_LENGTH)
  milestoneId: string;
}

export class ReasonDto {
  @ApiProperty({ description: NOTE_HINT, minLength: 3, maxLength: TEXT_MAX_LENGTH })
  @IsString({ message: 'reason must be text' })
  @MinLength(3, { message: 'reason must say why (3 characters or more)' })
  @MaxLength(TEXT_MAX_LENGTH)
  reason: string;
}

/** An optional note for the audit trail, with a command. */
export class NoteDto {
  @ApiPropertyOptional({ description: NOTE_HINT, maxLength: TEXT_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(TEXT_MAX_LENGTH)
  note?: string;
}

export class SignOffDto extends NoteDto {}

export class MoveGoLiveDto extends ReasonDto {
  @ApiProperty({ example: '2027-06-01', description: 'The go-live date as you saw it; a concurrent move makes this request a 409' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expectedGoLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'expectedGoLiveDate must be a real calendar date' })
  expectedGoLiveDate: string;

  @ApiProperty({ example: '2027-09-01', description: `The new go-live: after today, at most ${MAX_GO_LIVE_YEARS_AHEAD} years ahead (Europe/Amsterdam)` })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'goLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'goLiveDate must be a real calendar date' })
  @Validate(IsFutureAmsterdamDate)
  @Validate(IsWithinGoLiveHorizon)
  goLiveDate: string;
}
