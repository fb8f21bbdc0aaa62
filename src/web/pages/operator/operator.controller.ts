import { Controller, Get, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { parseOrigins } from '../../../codec/codec-cors';
import { pageLocals } from '../../page-locals';

/**
 * The operator's page (`/beheer`): where an operator lands after signing in, and how to let the
 * Temporal Web UI decode payloads with this session (the codec route takes it; see CodecController).
 */
@WebPage()
@Controller('beheer')
export class OperatorController {
  private readonly uiOrigins: string[];

  constructor(config: ConfigService) {
    this.uiOrigins = [...parseOrigins(config.get<string>('TEMPORAL_UI_ORIGINS'))];
  }

  @Get()
  @Roles('operator')
  page(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    response.render('beheer', {
      ...pageLocals(request, user),
      uiOrigins: this.uiOrigins,
      // As this browser reaches the service (behind TRUST_PROXY, the proxy's scheme and host).
      codecEndpoint: `${request.protocol}://${request.get('host')}/codec`,
    });
  }
}
