import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';

export class TransitionIdParam {
  @ApiProperty({ example: 'rotterdam.feijenoord.2027-06-01' })
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  transitionId: string;
}
