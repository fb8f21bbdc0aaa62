import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { cancelUpdate, goDecisionUpdate, moveGoLiveUpdate, signOffMilestoneUpdate } from '../../workflows/transition/definitions';
import { correlationIdFrom } from '../audit/request-context';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { ListTransitionsQuery } from './dto/list-transitions.query';
import { MilestoneParams, MoveGoLiveDto, ReasonDto, SignOffDto } from './dto/transition-commands.dto';
import { TransitionIdParam } from './dto/transition-id.param';
import { TransitionsService } from './transitions.service';

@ApiTags('transitions')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not your role, municipality or organisation; nothing is recorded' })
@Controller('transitions')
export class TransitionsController {
  constructor(private readonly transitions: TransitionsService) {}

  @Post()
  @Roles('coordinator')
  @ApiCreatedResponse({ description: 'The handover is planned from its template, recorded, and its workflow runs' })
  @ApiBadRequestResponse({ description: 'A field is missing, unknown or invalid; nothing is started' })
  @ApiConflictResponse({ description: 'A handover for this municipality, district and go-live exists' })
  create(
    @Body() dto: CreateTransitionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    return this.transitions.create(dto, user, correlationIdFrom(correlationHeader));
  }

  @Get()
  @Roles('coordinator', 'auditor')
  @ApiOkResponse({ description: 'Handovers by go-live date, with state, at-risk flag and overdue tasks' })
  list(@Query() query: ListTransitionsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.list(query, user);
  }

  @Get(':transitionId')
  @Roles('coordinator', 'auditor')
  @ApiOkResponse({ description: 'Live state: milestones, tasks, overdue counts and the timeline' })
  @ApiNotFoundResponse()
  detail(@Param() { transitionId }: TransitionIdParam, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.detail(transitionId, user);
  }

  @Post(':transitionId/milestones/:milestoneId/sign-off')
  @HttpCode(200)
  @Roles('coordinator')
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
  @ApiOkResponse({ description: 'Go-live moved: every due date, reminder and the gate re-planned' })
  @ApiConflictResponse({ description: 'Someone moved it first (expectedGoLiveDate is stale), or it is live' })
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
  @ApiOkResponse({ description: 'At the gate with milestones unmet: go live anyway, for the reason given' })
  decideGo(@Param() { transitionId }: TransitionIdParam, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, goDecisionUpdate, { reason: body.reason });
  }

  @Post(':transitionId/cancel')
  @HttpCode(200)
  @Roles('coordinator')
  cancel(@Param() { transitionId }: TransitionIdParam, @Body() body: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.transitions.command(transitionId, user, cancelUpdate, { reason: body.reason });
  }
}
