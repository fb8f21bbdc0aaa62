import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  acceptTransferUpdate,
  endTransferUpdate,
  erasePersonalDataUpdate,
  informClientUpdate,
  planIntakeUpdate,
  recordConsentUpdate,
} from '../../../workflows/client-transfer/definitions';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AuthenticatedUser } from '../../auth/auth.types';
import { ApiErrors, COMMAND } from '../../openapi/api-errors';
import { FILE_SIGNATURES } from './client-file';
import {
  AcceptTransferDto,
  EndTransferDto,
  ErasePersonalDataDto,
  InformClientDto,
  PlanIntakeDto,
  PseudonymParam,
  RecordConsentDto,
} from './transfer-commands.dto';
import { TransferCommandsService } from './transfer-commands.service';
import { transferStatusResponse, TransferStatusResponse } from './transfer-status.response';

const REFUSED = {
  403: 'Not a provider of this transfer, or not the side whose step it is; nothing is recorded',
  404: 'No such client transfer',
  503: 'The transfer did not answer within its deadline (10 s); nothing is recorded; a repeat of a command that did go through gets 409',
};

/** Commands on one client's transfer, by the outgoing or the incoming provider, each a Temporal update of its workflow. */
@ApiTags('clients')
@ApiBearerAuth()
@Roles('provider')
@Controller('clients')
export class TransferCommandsController {
  constructor(private readonly commands: TransferCommandsService) {}

  @Post(':pseudonym/informed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the client was informed about the transfer and asked for consent (outgoing provider)' })
  @ApiOkResponse({ description: 'Informed; the transfer waits for the consent answer', type: TransferStatusResponse })
  @ApiErrors(COMMAND, { ...REFUSED, 400: 'date or channel breaks a rule (named)', 409: 'Informed already, or the transfer has finished' })
  async informed(@Param() { pseudonym }: PseudonymParam, @Body() body: InformClientDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'outgoing', informClientUpdate, { date: body.date, channel: body.channel }));
  }

  @Post(':pseudonym/consent')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the client's answer: consent given, or refused (outgoing provider)" })
  @ApiOkResponse({ description: 'Recorded; refused: the transfer is declined and finished', type: TransferStatusResponse })
  @ApiErrors(COMMAND, {
    ...REFUSED,
    400: 'A field breaks a rule (named): date in the future, more than 2 years ago or before the client was informed',
    409: 'Not informed yet, answered already, or finished',
  })
  async consent(@Param() { pseudonym }: PseudonymParam, @Body() body: RecordConsentDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'outgoing', recordConsentUpdate, { given: body.given, date: body.date }));
  }

  @Post(':pseudonym/file')
  @HttpCode(200)
  @ApiOperation({
    summary: "Send the client's file package, a PDF or a ZIP archive of at most 25 MB, as the body (outgoing provider, after consent)",
    description:
      'The body is the file itself, with `Content-Type: application/pdf` or `application/zip`; its first bytes must fit the type ' +
      `(${Object.values(FILE_SIGNATURES).map(({ rule }) => rule).join('; ')}). It is stored encrypted with the client's own key.`,
  })
  @ApiConsumes('application/pdf', 'application/zip')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary', description: 'The file package' } })
  @ApiOkResponse({ description: 'Transferred; the incoming provider may download it and plan the intake', type: TransferStatusResponse })
  @ApiErrors(COMMAND, {
    ...REFUSED,
    400: 'The body is empty, or the path breaks a rule',
    409: 'No consent (yet), the file moved already, the transfer has finished, or the personal data is erased',
    413: 'The file is larger than 25 MB',
    415: 'Content-Type is not application/pdf or application/zip, or the bytes are not of that type',
  })
  async file(@Param() { pseudonym }: PseudonymParam, @Req() request: Request, @CurrentUser() user: AuthenticatedUser) {
    // The body is read from the request, not through @Body(): the pipes are for JSON, not 25 MB of bytes.
    return transferStatusResponse(await this.commands.transferFile(pseudonym, user, request.headers['content-type'], request.body));
  }

  @Post(':pseudonym/intake')
  @HttpCode(200)
  @ApiOperation({ summary: 'Plan the intake (incoming provider, once the file is transferred)' })
  @ApiOkResponse({ description: 'Planned', type: TransferStatusResponse })
  @ApiErrors(COMMAND, { ...REFUSED, 400: 'date breaks a rule: before consent, or more than a year ahead', 409: 'No file yet, planned already, or finished' })
  async intake(@Param() { pseudonym }: PseudonymParam, @Body() body: PlanIntakeDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'incoming', planIntakeUpdate, { date: body.date }));
  }

  @Post(':pseudonym/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the transfer: the incoming provider has taken the client on (incoming provider)' })
  @ApiOkResponse({ description: 'Accepted and finished', type: TransferStatusResponse })
  @ApiErrors(COMMAND, { ...REFUSED, 400: 'date breaks a rule: in the future or before consent', 409: 'No intake planned yet, or finished' })
  async accept(@Param() { pseudonym }: PseudonymParam, @Body() body: AcceptTransferDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'incoming', acceptTransferUpdate, { date: body.date }));
  }

  @Post(':pseudonym/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the transfer before it is accepted, for a reason (outgoing or incoming provider)' })
  @ApiOkResponse({ description: 'Ended and finished', type: TransferStatusResponse })
  @ApiErrors(COMMAND, { ...REFUSED, 409: 'Finished already (accepted, declined or ended)' })
  async end(@Param() { pseudonym }: PseudonymParam, @Body() body: EndTransferDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'either', endTransferUpdate, { reason: body.reason }));
  }

  @Post(':pseudonym/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase the client's personal data and file at their request (outgoing provider)",
    description:
      "Destroys the client's key (crypto-shredding): personal data and file can never be read again. The audit trail keeps " +
      "an event with the code 'request' only; the reason you give is not stored.",
  })
  @ApiOkResponse({ description: 'Erased', type: TransferStatusResponse })
  @ApiErrors(COMMAND, { ...REFUSED, 409: 'Erased already' })
  async erase(@Param() { pseudonym }: PseudonymParam, @Body() _body: ErasePersonalDataDto, @CurrentUser() user: AuthenticatedUser) {
    return transferStatusResponse(await this.commands.command(pseudonym, user, 'outgoing', erasePersonalDataUpdate, { reason: 'request' }));
  }
}
