import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { completeTaskUpdate, reopenTaskUpdate } from '../../workflows/transition/definitions';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ReasonDto } from '../transitions/dto/transition-commands.dto';
import { TransitionsService } from '../transitions/transitions.service';
import { CompleteTaskDto, TaskParams } from './task.dto';

/** Commands on one task of a handover, sent to the handover's workflow. */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not your role, municipality or organisation; nothing is recorded' })
@Controller('transitions')
export class TasksController {
  constructor(private readonly transitions: TransitionsService) {}

  @Post(':transitionId/tasks/:taskId/complete')
  @HttpCode(200)
  @Roles('coordinator', 'provider')
  @ApiOkResponse({ description: "Done; the task was your organisation's (or consortium's) and open" })
  @ApiConflictResponse({ description: 'Already done, or waiting for the tasks it depends on' })
  complete(@Param() { transitionId, taskId }: TaskParams, @Body() body: CompleteTaskDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, completeTaskUpdate, { taskId, note: body.note ?? null });
  }

  @Post(':transitionId/tasks/:taskId/reopen')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOkResponse({ description: 'Open again; its reminders and escalation are planned anew' })
  @ApiConflictResponse({ description: 'The task is not done' })
  reopen(@Param() { transitionId, taskId }: TaskParams, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, reopenTaskUpdate, { taskId, reason: body.reason });
  }
}
