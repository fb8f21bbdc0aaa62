import { ApiProperty } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';
import { CODE } from '../organisations/codes';
import { NoteDto, TRANSITION_ID_PROPERTY } from '../transitions/dto/transition-commands.dto';
import { CODE_MAX_LENGTH, TRANSITION_ID_MAX_LENGTH } from '../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';

export class TaskParams {
  @ApiProperty(TRANSITION_ID_PROPERTY)
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;

  @ApiProperty({ description: 'A task code of the handover', pattern: CODE.source, maxLength: CODE_MAX_LENGTH, example: 'kick-off' })
  @Matches(CODE, { message: 'taskId must be a task code such as client-files' })
  @MaxLength(CODE_MAX_LENGTH)
  taskId: string;
}

export class CompleteTaskDto extends NoteDto {}
