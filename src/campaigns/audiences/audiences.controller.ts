import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { correlationIdFrom } from '../../audit/request-context';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AuthenticatedUser } from '../../auth/auth.types';
import { ApiErrors, AUTHENTICATED, COMMAND } from '../../openapi/api-errors';
import { TransitionIdParam } from '../../transitions/dto/transition-id.param';
import { AudienceCountsResponse, AudienceImportResponse, EraseSubscriberDto } from './audiences.dto';
import { AudienceImportResult, AudiencesService } from './audiences.service';

const CSV_ERRORS = {
  400: 'The file breaks a rule: a report lists each line, column and rule (never the value); nothing is imported',
  403: "Not the coordinator of the handover's municipality",
  404: 'No such handover',
  409: 'The handover is cancelled or closed',
  413: 'The file is larger than 20 MiB',
  415: 'Content-Type is not text/csv',
} as const;
const CORRELATION = { name: 'x-correlation-id', required: false, description: 'Optional UUID tying the event to your records', schema: { type: 'string' } };
const IMPORTED = { description: 'A new file, stored whole: its import id and counts', type: AudienceImportResponse };
const REPEATED = { description: 'The same file was imported before: nothing changed (repeated: true)', type: AudienceImportResponse };

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('transitions')
export class AudiencesController {
  constructor(private readonly audiences: AudiencesService) {}

  @Post(':transitionId/audiences/addresses')
  @Roles('coordinator')
  @ApiOperation({
    summary: "Import the district's addresses for the campaign letters (CSV as Dutch Excel saves it)",
    description:
      'Columns (`;`, UTF-8 with or without BOM, or Windows-1252): straat; huisnummer; toevoeging; postcode; woonplaats. At most ' +
      '100,000 addresses a file. A file with any bad row is refused whole, with a report per line and column (never the value). ' +
      'Addresses the handover knows already are kept as they are. The same file again changes nothing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary', minLength: 1 } })
  @ApiHeader(CORRELATION)
  @ApiCreatedResponse(IMPORTED)
  @ApiOkResponse(REPEATED)
  @ApiErrors(COMMAND, CSV_ERRORS)
  async importAddresses(
    @Param() { transitionId }: TransitionIdParam,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    return answered(response, await this.audiences.importAddresses(transitionId, user, request.body, correlationIdFrom(correlationHeader)));
  }

  @Post(':transitionId/audiences/subscribers')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Import e-mail subscribers for the campaign (CSV as Dutch Excel saves it); their personal data is encrypted per subscriber',
    description:
      'Columns (`;`): e-mail; naam (optional), and optionally straat; huisnummer; toevoeging; postcode; woonplaats, all together: ' +
      'per line an address is given in full or not at all (it is used for a letter when the e-mail bounces). At most 100,000 ' +
      'subscribers a file. A file with any bad row is refused whole (never repeating a value); known subscribers are kept as they are; ' +
      'the same file again changes nothing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary', minLength: 1 } })
  @ApiHeader(CORRELATION)
  @ApiCreatedResponse(IMPORTED)
  @ApiOkResponse(REPEATED)
  @ApiErrors(COMMAND, CSV_ERRORS)
  async importSubscribers(
    @Param() { transitionId }: TransitionIdParam,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    return answered(response, await this.audiences.importSubscribers(transitionId, user, request.body, correlationIdFrom(correlationHeader)));
  }

  @Post(':transitionId/audiences/subscribers/erase')
  @HttpCode(204)
  @Roles('coordinator')
  @ApiOperation({
    summary: "Erase an e-mail subscriber's personal data (crypto-shredding)",
    description: 'The same answer whether or not the address was subscribed, so the answer does not tell who is.',
  })
  @ApiHeader(CORRELATION)
  @ApiNoContentResponse({ description: 'Erased, or was not there' })
  @ApiErrors(COMMAND, { 403: "Not the coordinator of the handover's municipality", 404: 'No such handover' })
  async erase(
    @Param() { transitionId }: TransitionIdParam,
    @Body() { email }: EraseSubscriberDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ): Promise<void> {
    await this.audiences.eraseSubscriber(transitionId, user, email, correlationIdFrom(correlationHeader));
  }

  @Get(':transitionId/audiences')
  @Roles('coordinator', 'provider')
  @ApiOperation({ summary: "The handover's campaign audiences: counts and accepted files, no personal data" })
  @ApiOkResponse({ type: AudienceCountsResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Neither the coordinator of the handover's municipality nor a provider of the handover",
    404: 'No such handover',
  })
  counts(@Param() { transitionId }: TransitionIdParam, @CurrentUser() user: AuthenticatedUser) {
    return this.audiences.counts(transitionId, user);
  }
}

/** 201 for a new file, 200 for one imported before. */
function answered(response: Response, result: AudienceImportResult): AudienceImportResult {
  response.status(result.repeated ? 200 : 201);
  return result;
}
