import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { completeTaskUpdate, reopenTaskUpdate } from '../../workflows/transition/definitions';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, COMMAND } from '../openapi/api-errors';
import { TransitionStatusResponse } from '../transitions/dto/transition-status.response';
import { ReasonDto } from '../transitions/dto/transition-commands.dto';
import { TransitionsService } from '../transitions/transitions.service';
import { CompleteTaskDto, TaskParams } from './task.dto';

/** Commands on one task of a handover, sent to the handover's workflow. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('transitions')
export class TasksController {
  constructor(private readonly transitions: TransitionsService) {}

  @Post(':transitionId/tasks/:taskId/complete')
  @HttpCode(200)
  @Roles('coordinator', 'provider')
  @ApiOperation({ summary: "Complete a task (its assignee's provider, the consortium's main contractor or a member; the coordinator for municipality tasks)" })
  @ApiBody({ type: CompleteTaskDto, required: false })
  @ApiOkResponse({ description: "Done; the task was your organisation's (or consortium's) and open", type: TransitionStatusResponse })
  @ApiErrors(COMMAND, {
    403: "Another organisation's task, an auditor, or another municipality's coordinator; nothing is recorded",
    404: 'No such handover or task',
    409: 'Already done, waiting for the tasks it depends on, or the handover is cancelled or has ended',
  })
  complete(@Param() { transitionId, taskId }: TaskParams, @Body() body: CompleteTaskDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, completeTaskUpdate, { taskId, note: body.note ?? null });
  }

  @Post(':transitionId/tasks/:taskId/reopen')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Open a done task again, for a reason (coordinator)' })
  @ApiOkResponse({ description: 'Open again; its reminders and escalation are planned anew', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, { 404: 'No such handover or task', 409: 'The task is not done, or the handover is cancelled or has ended' })
  reopen(@Param() { transitionId, taskId }: TaskParams, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, reopenTaskUpdate, { taskId, reason: body.reason });
  }
}
