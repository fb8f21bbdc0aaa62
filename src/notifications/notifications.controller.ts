import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { NotificationResponse } from './notification.response';

/** The in-app inbox of the caller's organisation (and its consortia). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class NotificationsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('notifications')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "Your organisation's in-app inbox (the latest 200)" })
  @ApiOkResponse({ description: 'Reminders, escalations and alerts for your organisation, newest first', type: [NotificationResponse] })
  @ApiErrors(AUTHENTICATED)
  notifications(@CurrentUser() user: AuthenticatedUser) {
    return this.dataSource.query(
      `SELECT id, organisation, kind, subject, body, transition_id AS "transitionId", created_at AS "createdAt"
       FROM notifications WHERE organisation = ANY($1::text[]) ORDER BY created_at DESC, id LIMIT 200`,
      [user.actingFor],
    );
  }
}
