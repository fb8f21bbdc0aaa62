import { Body, Controller, Get, HttpException, HttpStatus, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { moveGoLiveUpdate, signOffMilestoneUpdate } from '../../../../workflows/transition/definitions';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { MoveGoLiveDto } from '../../../transitions/dto/transition-commands.dto';
import { TransitionIdParam } from '../../../transitions/dto/transition-id.param';
import { TRANSITION_ID_PATTERN } from '../../../transitions/transition-id';
import { TransitionsService } from '../../../transitions/transitions.service';
import { dutchDate } from '../../dutch-labels';
import { pageLocals, redirectWithFlash } from '../../page-locals';
import { HandoverPage } from './handover-page';
import { goLiveRefusal, signOffRefusal } from './handover-refusals';
import { isCodeSegment } from '../../page-params';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** A handover's page (`/overdrachten/:transitionId`) for its municipality's coordinator and auditor; the coordinator signs off and moves go-live (other actions: handover-actions.controller.ts). */
@WebPage()
@Controller('overdrachten')
export class HandoverController {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly page: HandoverPage,
  ) {}

  @Get(':transitionId')
  @Roles('coordinator', 'auditor')
  async handover(
    @Param() { transitionId }: TransitionIdParam,
    @Query('ouder') older: unknown,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    await this.page.render(request, response, user, transitionId, { older });
  }

  @Post(':transitionId/mijlpalen/:milestoneId/aftekenen')
  @Roles('coordinator')
  async signOff(
    @Param('transitionId') transitionId: string,
    @Param('milestoneId') milestoneId: string,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!TRANSITION_ID_PATTERN.test(transitionId) || !isCodeSegment(milestoneId)) throw new NotFoundException();
    try {
      await this.transitions.command(transitionId, user, signOffMilestoneUpdate, { milestoneId, note: null });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() !== 404 && error.getStatus() !== 403 && (error.getStatus() < 500 || error.getStatus() === 503)) {
        return this.page.render(request, response, user, transitionId, { status: error.getStatus(), refusal: { ...signOffRefusal(error.getStatus()), milestoneId } });
      }
      throw error;
    }
    await redirectWithFlash(request, response, 'De mijlpaal is afgetekend.', `/overdrachten/${transitionId}`);
  }

  /** Two steps without JavaScript: the form posts here, which shows a confirm page; that page posts again with `bevestigd=ja`. */
  @Post(':transitionId/startdatum')
  @Roles('coordinator')
  async moveGoLive(
    @Param('transitionId') transitionId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!TRANSITION_ID_PATTERN.test(transitionId)) throw new NotFoundException();
    const dto = plainToInstance(MoveGoLiveDto, { expectedGoLiveDate: text(body.expectedGoLiveDate), goLiveDate: text(body.goLiveDate), reason: text(body.reason) });
    const refuse = (status: number, message: string) =>
      this.page.render(request, response, user, transitionId, { status, refusal: { ...goLiveRefusal(status, message), values: dto } });
    const problems = await validate(dto);
    if (problems.length > 0) return refuse(HttpStatus.BAD_REQUEST, Object.values(problems[0].constraints ?? {})[0] ?? '');
    if (body.bevestigd !== 'ja') {
      const detail = await this.transitions.detail(transitionId, user);
      return response.render('overdracht-bevestigen', { ...pageLocals(request, user), detail, dto });
    }
    try {
      await this.transitions.command(transitionId, user, moveGoLiveUpdate, {
        expectedGoLiveDate: dto.expectedGoLiveDate,
        goLiveDate: dto.goLiveDate,
        reason: dto.reason,
        ...this.transitions.goLiveDetails(dto.goLiveDate),
      });
    } catch (error) {
      if (error instanceof HttpException && [400, 409, 422, 503].includes(error.getStatus())) return refuse(error.getStatus(), error.message);
      throw error;
    }
    await redirectWithFlash(request, response, `De startdatum is verzet naar ${dutchDate(dto.goLiveDate)}.`, `/overdrachten/${transitionId}`);
  }
}
