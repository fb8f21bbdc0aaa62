import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CODE } from '../organisations/codes';
import { NOTE_HINT } from '../transitions/dto/transition-commands.dto';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';

export class TaskParams {
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  transitionId: string;

  @Matches(CODE, { message: 'taskId must be a task code such as client-files' })
  taskId: string;
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ description: NOTE_HINT, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

