import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, Validate } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { CODE } from '../../organisations/codes';
import { IsFutureAmsterdamDate } from './transition-validators';

export const NOTE_HINT = 'Free text for the audit trail; never names, addresses or other details of residents';

export class MilestoneParams {
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  transitionId: string;

  @Matches(CODE, { message: 'milestoneId must be a milestone code such as residents-informed' })
  milestoneId: string;
}

export class ReasonDto {
  @ApiProperty({ description: NOTE_HINT, maxLength: 500 })
  @IsString({ message: 'reason must be text' })
  @MinLength(3, { message: 'reason must say why (3 characters or more)' })
  @MaxLength(500)
  reason: string;
}

export class SignOffDto {
  @ApiPropertyOptional({ description: NOTE_HINT, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class MoveGoLiveDto extends ReasonDto {
  @ApiProperty({ example: '2027-06-01', description: 'The go-live date as you saw it; a concurrent move makes this request a 409' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expectedGoLiveDate must be a date as YYYY-MM-DD' })
  expectedGoLiveDate: string;

  @ApiProperty({ example: '2027-09-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'goLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'goLiveDate must be a real calendar date' })
  @Validate(IsFutureAmsterdamDate)
  goLiveDate: string;
}
