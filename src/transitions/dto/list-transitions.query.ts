import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { CODE, codeMessage } from '../../organisations/codes';
import { PageQuery } from '../../paging/page.query';
import { TRANSITION_STATES } from './transition-status.response';
import { CODE_MAX_LENGTH } from './transition-validators';

const STATES: readonly string[] = TRANSITION_STATES;
export const TRANSITION_SORTS = ['time-to-act', 'go-live'] as const;
export type TransitionSort = (typeof TRANSITION_SORTS)[number];

export class ListTransitionsQuery extends PageQuery {
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

  @ApiPropertyOptional({
    example: 'welzijn-maas',
    pattern: CODE.source,
    maxLength: CODE_MAX_LENGTH,
    description: 'Only handovers with this provider as the outgoing or the incoming one',
  })
  @IsOptional()
  @Matches(CODE, { message: codeMessage('provider') })
  @MaxLength(CODE_MAX_LENGTH)
  provider?: string;

  @ApiPropertyOptional({
    enum: TRANSITION_SORTS,
    default: 'time-to-act',
    description:
      'time-to-act (the default): by actBy, the earliest of the next due date of an open task (overdue ones first) and, ' +
      'before go-live, the go-live date; handovers with nothing left to act on (live without open tasks, closed, cancelled) last. ' +
      'go-live: by go-live date. Ties by transition id.',
  })
  @IsOptional()
  @IsIn(TRANSITION_SORTS, { message: `sort must be one of ${TRANSITION_SORTS.join(', ')}` })
  sort?: TransitionSort;
}
