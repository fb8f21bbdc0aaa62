import { Body, Controller, HttpException, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { cancelUpdate, goDecisionUpdate, reopenTaskUpdate } from '../../../../workflows/transition/definitions';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { ReasonDto } from '../../../transitions/dto/transition-commands.dto';
import { TRANSITION_ID_PATTERN } from '../../../transitions/transition-id';
import { TransitionsService } from '../../../transitions/transitions.service';
import { textProblem } from '../../../validation/control-characters.pipe';
import { pageLocals, redirectWithFlash } from '../../page-locals';
import { HandoverPage } from './handover-page';
import { ReasonAction, reasonRefusal } from './handover-refusals';
import { isCodeSegment } from '../../page-params';

/** What the confirm page says of each action, and the message after it. */
const CONFIRMATIONS: Record<ReasonAction, { title: string; sentence: string; warning?: string; button: string; done: string }> = {
  'go-decision': {
    title: 'Toch live gaan?',
    sentence: 'Niet alle verplichte mijlpalen zijn gehaald. U besluit dat de overdracht toch start, vandaag.',
    warning: 'Na dit besluit is de nieuwe aanbieder aan de slag. Dit kunt u niet terugdraaien.',
    button: 'Ja, toch live gaan',
    done: 'De overdracht is gestart.',
  },
  cancel: {
    title: 'Overdracht annuleren?',
    sentence: 'U stopt deze overdracht helemaal. Er komen geen herinneringen meer en niemand kan nog taken afronden.',
    warning: 'Let op: annuleren kunt u niet ongedaan maken. Wilt u later toch overdragen, dan maakt u een nieuwe overdracht.',
    button: 'Ja, overdracht annuleren',
    done: 'De overdracht is geannuleerd.',
  },
  reopen: {
    title: 'Taak opnieuw openen?',
    sentence: 'De taak staat daarna weer open. De organisatie krijgt weer herinneringen tot hij af is.',
    button: 'Ja, taak opnieuw openen',
    done: 'De taak staat weer open.',
  },
};

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The coordinator's actions that need a reason: go live anyway at the gate, cancel, reopen a
 * done task. The same commands as the JSON API; two steps without JavaScript: the page's form
 * posts here, which shows a confirm page, and that page posts again with `bevestigd=ja`.
 */
@WebPage()
@Controller('overdrachten')
export class HandoverActionsController {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly page: HandoverPage,
  ) {}

  @Post(':transitionId/besluit')
  @Roles('coordinator')
  goDecision(@Param('transitionId') transitionId: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    return this.act('go-decision', transitionId, undefined, body, request, response, user);
  }

  @Post(':transitionId/annuleren')
  @Roles('coordinator')
  cancel(@Param('transitionId') transitionId: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    return this.act('cancel', transitionId, undefined, body, request, response, user);
  }

  @Post(':transitionId/taken/:taskId/heropenen')
  @Roles('coordinator')
  reopen(
    @Param('transitionId') transitionId: string,
    @Param('taskId') taskId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!isCodeSegment(taskId)) throw new NotFoundException();
    return this.act('reopen', transitionId, taskId, body, request, response, user);
  }

  private async act(
    action: ReasonAction,
    transitionId: string,
    taskId: string | undefined,
    body: Record<string, unknown>,
    request: Request,
    response: Response,
    user: AuthenticatedUser,
  ) {
    if (!TRANSITION_ID_PATTERN.test(transitionId)) throw new NotFoundException();
    const detail = await this.transitions.detail(transitionId, user);
    const task = taskId ? detail.tasks.find((candidate) => candidate.id === taskId) : undefined;
    if (taskId && !task) throw new NotFoundException('the task does not exist in this handover');
    const dto = plainToInstance(ReasonDto, { reason: text(body.reason) });
    const refuse = (status: number, message?: string) =>
      this.page.render(request, response, user, transitionId, { status, refusal: { ...reasonRefusal(action, status, message), taskId, values: { reason: dto.reason } } });
    if ((await validate(dto)).length > 0 || textProblem(dto.reason)) return refuse(HttpStatus.BAD_REQUEST);
    if (body.bevestigd !== 'ja') {
      return response.render('overdracht-actie-bevestigen', {
        ...pageLocals(request, user),
        detail,
        confirmation: CONFIRMATIONS[action],
        taskTitle: task?.title,
        reason: dto.reason,
        action: request.path,
      });
    }
    try {
      await this.send(action, transitionId, taskId, dto.reason, user);
    } catch (error) {
      // 403 and 404 (not yours, no such handover or task) get their error pages: there is no field to show them next to.
      if (error instanceof HttpException && [400, 409, 503].includes(error.getStatus())) return refuse(error.getStatus(), error.message);
      throw error;
    }
    await redirectWithFlash(request, response, CONFIRMATIONS[action].done, `/overdrachten/${transitionId}`);
  }

  private send(action: ReasonAction, transitionId: string, taskId: string | undefined, reason: string, user: AuthenticatedUser) {
    switch (action) {
      case 'go-decision':
        return this.transitions.command(transitionId, user, goDecisionUpdate, { reason });
      case 'cancel':
        return this.transitions.command(transitionId, user, cancelUpdate, { reason });
      case 'reopen':
        return this.transitions.command(transitionId, user, reopenTaskUpdate, { taskId: taskId!, reason });
    }
  }
}
