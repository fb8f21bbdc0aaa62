import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { amsterdamToday } from '../time/amsterdam';
import { MyTaskResponse } from './my-task.response';

class MyTasksQuery {
  @ApiPropertyOptional({ enum: ['open', 'done'], description: 'Only open or only done tasks; all when left out' })
  @IsOptional()
  @IsIn(['open', 'done'], { message: 'status must be open or done' })
  status?: 'open' | 'done';
}

/** The tasks waiting for the caller's organisation (and its consortia). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MyTasksController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('tasks')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "Your organisation's tasks, and its consortia's (provider, coordinator)" })
  @ApiOkResponse({ description: "Tasks assigned to your organisation or its consortium, by due date, with 'overdue'", type: [MyTaskResponse] })
  @ApiErrors([400, 403, ...AUTHENTICATED], { 400: 'status is not open or done', 403: 'Not a provider or coordinator' })
  tasks(@Query() { status }: MyTasksQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.dataSource.query(
      `SELECT transition_id AS "transitionId", task_id AS "taskId", title, assignee, assignee_role AS "assigneeRole",
              to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, completed_at AS "completedAt",
              (status = 'open' AND due_date < $3) AS overdue
       FROM transition_tasks
       WHERE assignee = ANY($1::text[]) AND ($2::text IS NULL OR status = $2)
       ORDER BY due_date, transition_id, task_id`,
      [user.actingFor, status ?? null, amsterdamToday()],
    );
  }
}
