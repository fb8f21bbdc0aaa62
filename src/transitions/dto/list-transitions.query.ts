import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { CODE } from '../../organisations/codes';
import { CODE_MAX_LENGTH } from './transition-validators';

const STATES = ['planned', 'preparing', 'ready', 'live', 'closed', 'cancelled'];

export class ListTransitionsQuery {
  @ApiPropertyOptional({ example: 'rotterdam' })
  @IsOptional()
  @Matches(CODE, { message: 'municipality must be a municipality code' })
  @MaxLength(CODE_MAX_LENGTH)
  municipality?: string;

  @ApiPropertyOptional({ enum: STATES })
  @IsOptional()
  @IsIn(STATES, { message: `state must be one of ${STATES.join(', ')}` })
  state?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ obj }) => (obj.atRisk === 'true' ? true : obj.atRisk === 'false' ? false : obj.atRisk))
  @IsBoolean({ message: 'atRisk must be true or false' })
  atRisk?: boolean;
}
