import { Body, Controller, Get, HttpException, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { completeTaskUpdate } from '../../../../workflows/transition/definitions';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { TRANSITION_ID_PATTERN } from '../../../transitions/transition-id';
import { TransitionsService } from '../../../transitions/transitions.service';
import { textProblem } from '../../../validation/control-characters.pipe';
import { pageLocals, redirectWithFlash } from '../../page-locals';
import { sendPage } from '../../page-render';
import { NOTE_MAX_LENGTH, taskRefusal } from './inbox-labels';
import { inboxView } from './inbox-pages';
import { InboxReads } from './inbox-reads';
import { isCodeSegment } from '../../page-params';

/** A refusal shown next to one task's note field, with what the user typed. */
interface FieldError {
  transitionId: string;
  taskId: string;
  message: string;
  note: string;
}

/**
 * The provider's inbox (`/taken`): open tasks, client transfers by step, notifications; and
 * completing a task with a note, through the same command as `POST …/tasks/:taskId/complete`.
 */
@WebPage()
@Controller('taken')
export class InboxController {
  constructor(
    private readonly reads: InboxReads,
    private readonly transitions: TransitionsService,
  ) {}

  @Get()
  @Roles('provider', 'coordinator')
  async inbox(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    await this.render(request, response, user);
  }

  @Post(':transitionId/:taskId/afronden')
  @Roles('provider', 'coordinator')
  async complete(
    @Param('transitionId') transitionId: string,
    @Param('taskId') taskId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!TRANSITION_ID_PATTERN.test(transitionId) || !isCodeSegment(taskId)) throw new NotFoundException();
    const note = typeof body.note === 'string' ? body.note.trim() : '';
    const refuse = (status: number, message?: string) =>
      this.render(request, response, user, status, { transitionId, taskId, note, message: taskRefusal(status, message) });
    if (note.length > NOTE_MAX_LENGTH || textProblem(note)) return refuse(HttpStatus.BAD_REQUEST);
    try {
      await this.transitions.command(transitionId, user, completeTaskUpdate, { taskId, note: note === '' ? null : note });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) return refuse(error.getStatus(), error.message);
      if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) return refuse(error.getStatus());
      throw error;
    }
    const title = await this.reads.taskTitle(transitionId, taskId);
    await redirectWithFlash(request, response, `De taak „${title ?? taskId}” is afgerond.`, '/taken');
  }

  /** The inbox at the pages the URL names (a refused completion shows the page its form was on). */
  private async render(request: Request, response: Response, user: AuthenticatedUser, status = HttpStatus.OK, fieldError?: FieldError) {
    const page = await this.reads.page(user, inboxView(request.query as Record<string, unknown>));
    await sendPage(response, 'taken', pageLocals(request, user), fieldError ? { ...page, fieldError } : page, status);
  }
}
