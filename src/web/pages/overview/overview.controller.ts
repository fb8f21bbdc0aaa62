import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { cursorParam, pageSizeParam } from '../../page-links';
import { pageLocals } from '../../page-locals';
import { sendPage } from '../../page-render';
import { overviewFilters, overviewSort, OverviewView } from './overview-filters';
import { OverviewReads } from './overview-reads';

/**
 * The coordinator's overview (`/`): the municipality's handovers a page at a time, least time to
 * act first. Filters, order, page size and the page's cursor (`?na=`) are all in the URL.
 */
@WebPage()
@Controller()
export class OverviewController {
  constructor(private readonly reads: OverviewReads) {}

  @Get()
  @Roles('coordinator', 'auditor')
  async overview(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    const view: OverviewView = { filters: overviewFilters(query), sort: overviewSort(query), pageSize: pageSizeParam(query) };
    await sendPage(response, 'overzicht', pageLocals(request, user), await this.reads.page(user, view, cursorParam(query, 'na')));
  }
}
