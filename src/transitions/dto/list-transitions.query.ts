import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { CODE } from '../../organisations/codes';
import { TRANSITION_STATES } from './transition-status.response';
import { CODE_MAX_LENGTH } from './transition-validators';

const STATES: readonly string[] = TRANSITION_STATES;

export class ListTransitionsQuery {
  @ApiPropertyOptional({
    example: 'rotterdam',
    pattern: CODE.source,
    maxLength: CODE_MAX_LENGTH,
    description: "A municipality's code; a coordinator may name only their own (their own is the default)",
  })
  @IsOptional()
  @Matches(CODE, { message: 'municipality must be a municipality code' })
  @MaxLength(CODE_MAX_LENGTH)
  municipality?: string;

  @ApiPropertyOptional({ enum: TRANSITION_STATES })
  @IsOptional()
  @IsIn(STATES, { message: `state must be one of ${STATES.join(', ')}` })
  state?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true or false' })
  @IsOptional()
  @Transform(({ obj }) => (obj.atRisk === 'true' ? true : obj.atRisk === 'false' ? false : obj.atRisk))
  @IsBoolean({ message: 'atRisk must be true or false' })
  atRisk?: boolean;
}
