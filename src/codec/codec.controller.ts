import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { correlationIdFrom } from '../audit/request-context';
import { CurrentUser, Roles, SessionOrBearer } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors } from '../openapi/api-errors';
import { PayloadsDto } from './codec.dto';
import { CodecService } from './codec.service';
import { namespaceOf } from './temporal-namespace';

/**
 * Temporal's codec-server convention, for the Temporal Web UI and the CLI: decode only. There is
 * no /codec/encode: encoding with the service's key would let a caller make payloads the workers
 * take as the service's own (a workflow started or signalled from the UI past the API's
 * validation and audit), and the UI needs it for nothing else. The UI in an operator's browser
 * sends either a bearer token or, with "include cross-origin credentials", the operator's web
 * session (signed in at /inloggen).
 */
@ApiTags('codec')
@ApiBearerAuth()
@Roles('operator')
@SessionOrBearer()
@Controller('codec')
export class CodecController {
  private readonly namespace: string;

  constructor(
    private readonly codec: CodecService,
    config: ConfigService,
  ) {
    this.namespace = config.getOrThrow<string>('TEMPORAL_NAMESPACE');
  }

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: "Decode workflow payloads for the Temporal Web UI (operator); every decode is recorded, never the content" })
  @ApiHeader({
    name: 'x-namespace',
    required: false,
    description: "The Temporal namespace of the payloads (the UI sends it): this service's; left out, this service's is meant",
    schema: { type: 'string' },
  })
  @ApiHeader({
    name: 'x-correlation-id',
    required: false,
    description: 'Optional: a UUID that ties the audit record to your own records; anything else is ignored and a new one is made',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ description: 'The payloads decoded, in the order sent (protobuf JSON, base64)', type: PayloadsDto })
  @ApiErrors([400, 401, 403, 413, 415, 429, 503], {
    400: 'A field or X-Namespace breaks a rule (named, the value never repeated), or a payload does not decode with this key; nothing is shown',
    403: 'Not an operator, or a browser origin not in TEMPORAL_UI_ORIGINS',
    413: 'The body is larger than CODEC_BODY_LIMIT_BYTES',
    503: 'The audit trail is out of reach: nothing is decoded without its record',
  })
  async decode(
    @Body() { payloads }: PayloadsDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-namespace') namespaceHeader?: string,
    @Headers('x-correlation-id') correlationHeader?: string,
  ): Promise<PayloadsDto> {
    const namespace = namespaceOf(namespaceHeader, this.namespace);
    return { payloads: await this.codec.decode(payloads, user, namespace, correlationIdFrom(correlationHeader)) };
  }
}
