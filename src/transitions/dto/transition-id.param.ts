import { ApiProperty } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { TRANSITION_ID_PROPERTY } from './transition-commands.dto';
import { TRANSITION_ID_MAX_LENGTH } from './transition-validators';

export class TransitionIdParam {
  @ApiProperty(TRANSITION_ID_PROPERTY)
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;
}
