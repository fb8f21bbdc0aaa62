import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { Page } from '../paging/page';
import { PageQuery } from '../paging/page.query';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';
import { NOTIFICATION_KINDS, NotificationPageResponse, NotificationResponse } from './notification.response';
import type { NotificationKind } from './notification.types';
import { notificationsPage } from './notifications-page';

class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, description: 'Only messages of this kind' })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS, { message: `kind must be one of ${NOTIFICATION_KINDS.join(', ')}` })
  kind?: NotificationKind;

  @ApiPropertyOptional({ pattern: TRANSITION_ID_PATTERN.source, description: "Only this handover's messages" })
  @IsOptional()
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must be a transition id (municipality.district.YYYY-MM-DD)' })
  transitionId?: string;
}

/** The in-app inbox of the caller's organisation (and its consortia). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class NotificationsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('notifications')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "A page of your organisation's in-app inbox, newest first (provider, coordinator)" })
  @ApiOkResponse({ description: 'Reminders, escalations and alerts for your organisation, newest first, and the next cursor', type: NotificationPageResponse })
  @ApiErrors([400, 403, ...AUTHENTICATED], {
    400: 'kind or transitionId breaks its rule, limit is not 1 to 200, or cursor is not a nextCursor of this list',
    403: 'Not a provider or coordinator',
  })
  notifications(@Query() query: NotificationsQuery, @CurrentUser() user: AuthenticatedUser): Promise<Page<NotificationResponse>> {
    return notificationsPage(this.dataSource, {
      organisations: user.actingFor, kind: query.kind ?? null, transitionId: query.transitionId ?? null,
    }, query);
  }
}
