import { Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { correlationIdFrom } from '../../audit/request-context';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AuthenticatedUser } from '../../auth/auth.types';
import { ApiErrors, AUTHENTICATED, COMMAND } from '../../openapi/api-errors';
import { TransitionIdParam } from '../../transitions/dto/transition-id.param';
import { ClientImportParams, ClientImportProgressResponse } from './client-import.dto';
import { ClientImportService } from './client-import.service';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('transitions')
export class ClientImportController {
  constructor(private readonly imports: ClientImportService) {}

  @Post(':transitionId/clients/import')
  @HttpCode(202)
  @Roles('provider')
  @ApiOperation({
    summary: "Import the outgoing provider's clients in ongoing support (CSV as Dutch Excel saves it); their transfers start behind it",
    description:
      'Columns (`;`, UTF-8 with or without BOM, or Windows-1252): clientnummer; voornaam; achternaam; geboortedatum; straat; ' +
      'huisnummer; postcode; woonplaats; telefoon; e-mail; doelgroep; toelichting. A file with any bad row is refused whole, ' +
      'with a report per line and column (never the value); a good file is taken whole. The same file again changes nothing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'x-correlation-id', required: false, description: 'Optional UUID tying the transfers to your records', schema: { type: 'string' } })
  @ApiAcceptedResponse({ description: 'Accepted whole: the import id and its progress; transfers are being started', type: ClientImportProgressResponse })
  @ApiErrors(COMMAND, {
    400: 'The file breaks a rule: a report lists each line, column and rule; nothing is imported',
    403: 'Not the outgoing provider of this handover',
    404: 'No such handover',
    409: 'The handover is cancelled or closed',
    413: 'The file is larger than 20 MiB',
    415: 'Content-Type is not text/csv',
  })
  import(
    @Param() { transitionId }: TransitionIdParam,
    @Req() request: Request,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    return this.imports.import(transitionId, user, request.body, correlationIdFrom(correlationHeader));
  }

  @Get(':transitionId/clients/imports/:importId')
  @Roles('provider', 'coordinator')
  @ApiOperation({ summary: "An import's progress: clients in the file, new ones, transfers listed so far" })
  @ApiOkResponse({ type: ClientImportProgressResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], { 403: "Neither a provider of this handover nor its municipality's coordinator", 404: 'No such handover or import' })
  progress(@Param() { transitionId, importId }: ClientImportParams, @CurrentUser() user: AuthenticatedUser) {
    return this.imports.progress(transitionId, importId, user);
  }
}
