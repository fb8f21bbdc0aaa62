import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AuthenticatedUser } from '../../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../../openapi/api-errors';
import { TransferCommandsService } from '../transfers/transfer-commands.service';
import { HandoverParam, PseudonymParam } from '../transfers/transfer-commands.dto';
import { ClientListQuery } from './client-list.query';
import { ClientReadsService } from './client-reads.service';
import { ClientCountsResponse, ClientTransferPageResponse, ClientTransferResponse } from './client-transfer.response';

const BINARY = { schema: { type: 'string', format: 'binary' } } as const;
const PERSONAL_DATA_RULE =
  'Personal data: the outgoing provider always, the incoming provider once the client has consented, "erased" once erased; coordinators never';

/** One client's transfer and its file. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('clients')
export class ClientsController {
  constructor(
    private readonly reads: ClientReadsService,
    private readonly commands: TransferCommandsService,
  ) {}

  @Get(':pseudonym')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "One client's transfer (its providers; its municipality's coordinators see codes only)", description: PERSONAL_DATA_RULE })
  @ApiOkResponse({ description: 'The transfer, as far as you may see it', type: ClientTransferResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Not a provider of this transfer, another municipality's coordinator, or an auditor (auditors read events through the audit routes)",
    404: 'No such client transfer',
  })
  detail(@Param() { pseudonym }: PseudonymParam, @CurrentUser() user: AuthenticatedUser) {
    return this.reads.detail(pseudonym, user);
  }

  @Get(':pseudonym/file')
  @Roles('provider')
  @ApiOperation({
    summary: "Download the client's file package (the outgoing provider; the incoming one once the client has consented)",
    description: 'Every download is recorded in the audit trail before the file is sent.',
  })
  @ApiOkResponse({
    description: 'The file, decrypted, as an attachment named after the pseudonym',
    headers: { 'Content-Disposition': { description: 'attachment; filename="<pseudonym>.pdf" (or .zip)', schema: { type: 'string' } } },
    content: { 'application/pdf': BINARY, 'application/zip': BINARY },
  })
  @ApiErrors([400, 403, 404, 409, 410, ...AUTHENTICATED, 503], {
    403: 'Not a provider of this transfer, or the incoming provider before consent',
    404: 'No such client transfer, or no file yet',
    409: 'The transfer has ended and closed',
    410: "The client's personal data and file are erased",
    503: 'The download could not be recorded in time; nothing is sent',
  })
  async file(@Param() { pseudonym }: PseudonymParam, @CurrentUser() user: AuthenticatedUser, @Req() request: Request, @Res() response: Response) {
    const file = await this.reads.file(pseudonym, user);
    // A HEAD (Express answers it with this route) gets the headers only: nothing is downloaded, nothing recorded.
    if (request.method !== 'HEAD') await this.commands.recordDownload(file.transfer, file.fileId, user);
    response
      .status(200)
      .type(file.mediaType)
      .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
      .setHeader('Content-Length', String(file.content.length))
      .end(file.content);
  }
}

/** A handover's clients. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('transitions')
export class HandoverClientsController {
  constructor(private readonly reads: ClientReadsService) {}

  @Get(':transitionId/clients')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "A handover's clients, a page at a time (its providers; its municipality's coordinators see codes only)", description: PERSONAL_DATA_RULE })
  @ApiOkResponse({ description: 'A page, by pseudonym', type: ClientTransferPageResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Not a provider of this handover, another municipality's coordinator, or an auditor",
    404: 'No such handover',
  })
  list(@Param() { transitionId }: HandoverParam, @Query() query: ClientListQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.reads.forHandover(transitionId, query, user);
  }

  @Get(':transitionId/clients/counts')
  @Roles('provider', 'coordinator', 'auditor')
  @ApiOperation({ summary: "A handover's client transfers counted per step and target group (its providers, its municipality's coordinators and auditors)" })
  @ApiOkResponse({ description: 'Counts only', type: ClientCountsResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], { 403: "Not a provider of this handover, or another municipality's", 404: 'No such handover' })
  counts(@Param() { transitionId }: HandoverParam, @CurrentUser() user: AuthenticatedUser) {
    return this.reads.counts(transitionId, user);
  }
}

/** A provider's own client transfers, in every handover. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MyClientsController {
  constructor(private readonly reads: ClientReadsService) {}

  @Get('clients')
  @Roles('provider')
  @ApiOperation({
    summary: 'Every client transfer your organisation (or its consortium) is a provider of, with your role and what it needs next (provider)',
    description:
      `${PERSONAL_DATA_RULE}. "stalled": the step waits for a provider (informed: the consent answer; consent given: the file; ` +
      'file transferred: the intake) and the business days the policy gives it (TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS, ' +
      'TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS, TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS) have passed: Dutch business days ' +
      '(weekdays but public holidays) counted from the day after the step was reached, as the reminder counts them, but by whole ' +
      'days (stalled from the start of the reminder day, not its 09:00).',
  })
  @ApiOkResponse({ description: 'A page, by pseudonym', type: ClientTransferPageResponse })
  @ApiErrors([400, 403, ...AUTHENTICATED], { 403: 'Not a provider' })
  mine(@Query() query: ClientListQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.reads.mine(query, user);
  }
}
