import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  acceptTransferUpdate,
  endTransferUpdate,
  informClientUpdate,
  planIntakeUpdate,
  recordConsentUpdate,
} from '../../../workflows/client-transfer/definitions';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AuthenticatedUser } from '../../auth/auth.types';
import { ApiErrors, ErrorStatus } from '../../openapi/api-errors';
import { BULK_CONCURRENCY, BULK_DEADLINE_MS, BulkTransferCommands } from './bulk-commands';
import {
  BulkAcceptTransferDto,
  BulkEndTransferDto,
  BulkInformClientDto,
  BulkPlanIntakeDto,
  BulkRecordConsentDto,
  HandoverParam,
} from './transfer-commands.dto';
import { BulkResponse } from './transfer-status.response';

const BULK = {
  description:
    `Each client gets the command on its own, as the single command would (${BULK_CONCURRENCY} at a time); its result says ` +
    `what it got. The request waits at most ${BULK_DEADLINE_MS / 1000} s: a client not sent by then gets 503, nothing recorded for it. ` +
    'A pseudonym that is not in this handover gets 404; one whose transfer is not yours, 403.',
};
/** A refusal of the request as a whole; 404, 409 and a transfer's 503 come per client, in its result. */
const STATUSES: ErrorStatus[] = [400, 401, 403, 413, 415, 429, 503];
const ANSWERS = {
  400: 'A field breaks a rule (named): pseudonyms empty, more than 1000, repeated or malformed, a bad date or code; nothing is sent',
  403: 'Not a provider; nothing is sent',
  503: 'The read model could not be reached; nothing is sent',
};
const ok = (what: string) => ApiOkResponse({ description: `${what}: one result per client, and the counts`, type: BulkResponse });

/** One command for many clients of a handover, each client's transfer on its own. */
@ApiTags('clients')
@ApiBearerAuth()
@Roles('provider')
@Controller('transitions')
export class BulkCommandsController {
  constructor(private readonly bulk: BulkTransferCommands) {}

  @Post(':transitionId/clients/bulk/informed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record for many clients that they were informed (outgoing provider)', ...BULK })
  @ok('Sent')
  @ApiErrors(STATUSES, ANSWERS)
  informed(@Param() { transitionId }: HandoverParam, @Body() { pseudonyms, date, channel }: BulkInformClientDto, @CurrentUser() user: AuthenticatedUser) {
    return this.bulk.run(transitionId, pseudonyms, user, 'outgoing', informClientUpdate, { date, channel });
  }

  @Post(':transitionId/clients/bulk/consent')
  @HttpCode(200)
  @ApiOperation({ summary: "Record many clients' answers, all the same (outgoing provider)", ...BULK })
  @ok('Sent')
  @ApiErrors(STATUSES, ANSWERS)
  consent(@Param() { transitionId }: HandoverParam, @Body() { pseudonyms, given, date }: BulkRecordConsentDto, @CurrentUser() user: AuthenticatedUser) {
    return this.bulk.run(transitionId, pseudonyms, user, 'outgoing', recordConsentUpdate, { given, date });
  }

  @Post(':transitionId/clients/bulk/intake')
  @HttpCode(200)
  @ApiOperation({ summary: 'Plan the intake of many clients on one day (incoming provider)', ...BULK })
  @ok('Sent')
  @ApiErrors(STATUSES, ANSWERS)
  intake(@Param() { transitionId }: HandoverParam, @Body() { pseudonyms, date }: BulkPlanIntakeDto, @CurrentUser() user: AuthenticatedUser) {
    return this.bulk.run(transitionId, pseudonyms, user, 'incoming', planIntakeUpdate, { date });
  }

  @Post(':transitionId/clients/bulk/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the transfers of many clients (incoming provider)', ...BULK })
  @ok('Sent')
  @ApiErrors(STATUSES, ANSWERS)
  accept(@Param() { transitionId }: HandoverParam, @Body() { pseudonyms, date }: BulkAcceptTransferDto, @CurrentUser() user: AuthenticatedUser) {
    return this.bulk.run(transitionId, pseudonyms, user, 'incoming', acceptTransferUpdate, { date });
  }

  @Post(':transitionId/clients/bulk/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the transfers of many clients, for one reason (outgoing or incoming provider)', ...BULK })
  @ok('Sent')
  @ApiErrors(STATUSES, ANSWERS)
  end(@Param() { transitionId }: HandoverParam, @Body() { pseudonyms, reason }: BulkEndTransferDto, @CurrentUser() user: AuthenticatedUser) {
    return this.bulk.run(transitionId, pseudonyms, user, 'either', endTransferUpdate, { reason });
  }
}
