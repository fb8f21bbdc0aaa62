import { Body, Controller, ForbiddenException, Get, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { isOutgoing, TransferAccess, TransferRole } from '../../../clients/transfer-access';
import { BulkTransferCommands } from '../../../clients/transfers/bulk-commands';
import { BULK_MAX } from '../../../clients/transfers/transfer-commands.dto';
import { TRANSITION_ID_MAX_LENGTH } from '../../../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../../../transitions/transition-id';
import { amsterdamToday } from '../../../time/amsterdam';
import { pageLocals, redirectWithFlash } from '../../page-locals';
import { BulkAction, bulkActionAt, BulkField, bulkResultMessage, CHANNELS, fieldRefusal, formValues } from './bulk-actions';
import { WaitingAt, WaitingTransfers } from './waiting-transfers';

/**
 * A step's action for all of a handover's client transfers waiting there, from the inbox
 * (`/taken/clienten/:transitionId/:step`): a page that shows how many and asks for the step's
 * fields, then the same bulk command as `POST /transitions/:id/clients/bulk/…`. Only the
 * provider whose move it is reaches it; counts only, never a client.
 */
@WebPage()
@Roles('provider')
@Controller('taken/clienten')
export class BulkTransfersController {
  constructor(
    private readonly access: TransferAccess,
    private readonly waiting: WaitingTransfers,
    private readonly bulk: BulkTransferCommands,
  ) {}

  @Get(':transitionId/:step')
  async confirm(
    @Param('transitionId') transitionId: string,
    @Param('step') step: string,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const { action, at } = await this.yourMove(transitionId, step, user);
    await this.render(request, response, user, action, at);
  }

  @Post(':transitionId/:step')
  async apply(
    @Param('transitionId') transitionId: string,
    @Param('step') step: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const { action, at } = await this.yourMove(transitionId, step, user);
    const values = formValues(body);
    const form = action.read(values);
    if ('invalid' in form) return this.render(request, response, user, action, at, HttpStatus.BAD_REQUEST, values, form.invalid);
    const pseudonyms = await this.waiting.pseudonyms(at);
    const message =
      pseudonyms.length === 0
        ? 'Er wachten geen cliënten meer bij deze stap. Er is niets veranderd.'
        : bulkResultMessage(await action.send(this.bulk, transitionId, pseudonyms, user, form.command));
    await redirectWithFlash(request, response, message, '/taken');
  }

  /** The step's action, when the handover is this provider's and the step its move: else 404 or 403, before anything is read or sent. */
  private async yourMove(transitionId: string, step: string, user: AuthenticatedUser): Promise<{ action: BulkAction; at: WaitingAt }> {
    const action = bulkActionAt(step);
    if (!action || transitionId.length > TRANSITION_ID_MAX_LENGTH || !TRANSITION_ID_PATTERN.test(transitionId)) throw new NotFoundException();
    const { role } = await this.access.assertMayReadHandover(transitionId, user);
    const onSide = action.side === 'outgoing' ? isOutgoing(role as TransferRole) : role !== 'outgoing';
    if (!onSide) throw new ForbiddenException(`this step is the ${action.side} provider's`);
    return { action, at: { transitionId, step: action.step, side: action.side, organisations: user.actingFor } };
  }

  private async render(
    request: Request,
    response: Response,
    user: AuthenticatedUser,
    action: BulkAction,
    at: WaitingAt,
    status = HttpStatus.OK,
    values: Partial<Record<BulkField, unknown>> = { date: amsterdamToday() },
    invalid: BulkField[] = [],
  ) {
    const count = await this.waiting.count(at);
    response.status(status).render('clienten-bevestigen', {
      ...pageLocals(request, user),
      action,
      transitionId: at.transitionId,
      count,
      // Only what the form's own controls could hold goes back into them.
      values: {
        date: typeof values.date === 'string' && /^[0-9-]{0,10}$/.test(values.date) ? values.date : '',
        channel: values.channel,
        given: values.given,
      },
      errors: Object.fromEntries(invalid.map((field) => [field, fieldRefusal(action, field)])),
      channels: CHANNELS,
      bulkMax: BULK_MAX,
    });
  }
}
