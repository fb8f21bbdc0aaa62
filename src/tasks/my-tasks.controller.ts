import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { PageQuery } from '../paging/page.query';
import { Page } from '../paging/page';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';
import { amsterdamToday } from '../time/amsterdam';
import { MyTaskResponse, MyTaskPageResponse } from './my-task.response';
import { myTasksPage } from './my-tasks';

class MyTasksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'done'], description: 'Only open or only done tasks; all when left out' })
  @IsOptional()
  @IsIn(['open', 'done'], { message: 'status must be open or done' })
  status?: 'open' | 'done';

  @ApiPropertyOptional({ pattern: TRANSITION_ID_PATTERN.source, description: "Only this handover's tasks" })
  @IsOptional()
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must be a transition id (municipality.district.YYYY-MM-DD)' })
  transitionId?: string;
}

/** The tasks waiting for the caller's organisation (and its consortia). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MyTasksController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('tasks')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "A page of your organisation's tasks, and its consortia's, by due date (provider, coordinator)" })
  @ApiOkResponse({ description: "Tasks assigned to your organisation or its consortium, by due date, with 'overdue', and the next cursor", type: MyTaskPageResponse })
  @ApiErrors([400, 403, ...AUTHENTICATED], {
    400: 'status is not open or done, transitionId is no transition id, limit is not 1 to 200, or cursor is not a nextCursor of this list',
    403: 'Not a provider or coordinator',
  })
  tasks(@Query() query: MyTasksQuery, @CurrentUser() user: AuthenticatedUser): Promise<Page<MyTaskResponse>> {
    return myTasksPage(this.dataSource, {
      assignees: user.actingFor, status: query.status ?? null, transitionId: query.transitionId ?? null, today: amsterdamToday(),
    }, query);
  }
}
