import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { cancelUpdate, goDecisionUpdate, moveGoLiveUpdate, signOffMilestoneUpdate } from '../../workflows/transition/definitions';
import { correlationIdFrom } from '../audit/request-context';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiErrors, AUTHENTICATED, COMMAND } from '../openapi/api-errors';
import { AuthenticatedUser } from '../auth/auth.types';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { ListTransitionsQuery } from './dto/list-transitions.query';
import { MilestoneParams, MoveGoLiveDto, ReasonDto, SignOffDto } from './dto/transition-commands.dto';
import { TransitionIdParam } from './dto/transition-id.param';
import { PageQuery } from '../paging/page.query';
import { TimelinePageResponse, TransitionDetailResponse, TransitionPageResponse, TransitionStatusResponse } from './dto/transition-status.response';
import { TransitionsService } from './transitions.service';

@ApiTags('transitions')
@ApiBearerAuth()
@Controller('transitions')
export class TransitionsController {
  constructor(private readonly transitions: TransitionsService) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Plan a handover from a template and start its workflow (coordinator of that municipality)' })
  @ApiHeader({
    name: 'x-correlation-id',
    required: false,
    description: "Optional: a UUID that ties the handover's events to your own records; anything else is ignored and a new one is made",
    schema: { type: 'string', example: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  })
  @ApiCreatedResponse({ description: 'The handover is planned from its template, recorded, and its workflow runs', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, {
    400: 'A field is missing, unknown or breaks a rule (named), including unknown organisations or districts and go-live out of range; nothing is started',
    403: 'Not a coordinator, or not of this municipality; nothing is started',
    409: 'A handover for this municipality, district and go-live exists',
  })
  create(
    @Body() dto: CreateTransitionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    return this.transitions.create(dto, user, correlationIdFrom(correlationHeader));
  }

  @Get()
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: "A page of your municipality's handovers, least time to act first (coordinator, auditor)" })
  @ApiOkResponse({
    description: 'A page of handovers (by time to act or go-live), with state, at-risk flag, overdue tasks and progress, and the next cursor',
    type: TransitionPageResponse,
  })
  @ApiErrors([400, 403, ...AUTHENTICATED], {
    400: 'A filter breaks its rule, limit is not 1 to 200, or cursor is not the nextCursor of an earlier page of this list and sort',
    403: "Not a coordinator or auditor, or another municipality's coordinator",
  })
  list(@Query() query: ListTransitionsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.list(query, user);
  }

  @Get(':transitionId')
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: "One handover's state, from its read model" })
  @ApiOkResponse({ description: 'Its state: milestones, tasks, overdue counts, progress and the newest page of its timeline', type: TransitionDetailResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Not a coordinator or auditor, or another municipality's handover",
    404: 'No such handover',
  })
  detail(@Param() { transitionId }: TransitionIdParam, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.detail(transitionId, user);
  }

  @Get(':transitionId/timeline')
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: "A page of a handover's timeline from its audit trail, newest first (coordinator, auditor)" })
  @ApiOkResponse({ description: 'Events, newest first, and the cursor of older ones', type: TimelinePageResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    400: "limit is not 1 to 200, or cursor is not a nextCursor of this handover's timeline",
    403: "Not a coordinator or auditor, or another municipality's handover",
    404: 'No such handover',
  })
  timeline(@Param() { transitionId }: TransitionIdParam, @Query() page: PageQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.timeline(transitionId, page, user);
  }

  @Post(':transitionId/milestones/:milestoneId/sign-off')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Sign a milestone off as met (coordinator)' })
  @ApiBody({ type: SignOffDto, required: false })
  @ApiOkResponse({ description: 'Met; the state after it', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, { 404: 'No such handover or milestone', 409: 'Met already, or the handover is cancelled or has ended' })
  signOff(
    @Param() { transitionId, milestoneId }: MilestoneParams,
    @Body() body: SignOffDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.transitions.command(transitionId, user, signOffMilestoneUpdate, {
      milestoneId,
      note: body.note ?? null,
    });
  }

  @Post(':transitionId/go-live')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Move the go-live date (coordinator)' })
  @ApiOkResponse({ description: 'Go-live moved: every due date, reminder and the gate re-planned', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, {
    400: 'A field breaks a rule: goLiveDate not after today or more than 10 years ahead, a date that is no real date, a reason too short or too long',
    409: 'Someone moved it first (expectedGoLiveDate is stale), or it is live, cancelled or ended',
  })
  moveGoLive(@Param() { transitionId }: TransitionIdParam, @Body() body: MoveGoLiveDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, moveGoLiveUpdate, {
      expectedGoLiveDate: body.expectedGoLiveDate,
      goLiveDate: body.goLiveDate,
      reason: body.reason,
      ...this.transitions.goLiveDetails(body.goLiveDate),
    });
  }

  @Post(':transitionId/go-decision')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Go live anyway at the gate, with mandatory milestones unmet (coordinator)' })
  @ApiOkResponse({ description: 'At the gate with milestones unmet: go live anyway, for the reason given', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, { 409: 'Not waiting at the gate, or cancelled or ended' })
  decideGo(@Param() { transitionId }: TransitionIdParam, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, goDecisionUpdate, { reason: body.reason });
  }

  @Post(':transitionId/cancel')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Cancel the handover (coordinator)' })
  @ApiOkResponse({ description: 'Cancelled; later commands get 409', type: TransitionStatusResponse })
  @ApiErrors(COMMAND, { 409: 'Cancelled already, or live or ended' })
  cancel(@Param() { transitionId }: TransitionIdParam, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, cancelUpdate, { reason: body.reason });
  }
}
