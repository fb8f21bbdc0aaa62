import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { CODE } from '../../organisations/codes';

const STATES = ['planned', 'preparing', 'ready', 'live', 'closed', 'cancelled'];

export class ListTransitionsQuery {
  @ApiPropertyOptional({ example: 'rotterdam' })
  @IsOptional()
  @Matches(CODE, { message: 'municipality must be a municipality code' })
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
