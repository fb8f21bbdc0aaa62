import { ApiProperty } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { TRANSITION_ID_MAX_LENGTH } from './transition-validators';

export class TransitionIdParam {
  @ApiProperty({ example: 'rotterdam.feijenoord.2027-06-01' })
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;
}
