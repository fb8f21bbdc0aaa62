import { Controller, Get, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public, WebPage } from '../../../auth/auth.decorators';
import { pageLocals } from '../../page-locals';

/** The accessibility statement (toegankelijkheidsverklaring): readable without signing in. */
@WebPage()
@Controller()
export class StatementController {
  @Get('toegankelijkheid')
  @Public()
  @Render('toegankelijkheid')
  statement(@Req() request: Request) {
    return pageLocals(request);
  }
}
