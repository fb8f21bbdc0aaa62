import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { dutchDate, STATE_LABELS, TRANSITION_STATES } from '../../dutch-labels';
import { cursorParam, pageSizeParam } from '../../page-links';
import { pageLocals } from '../../page-locals';
import { countdownText } from './countdown';
import { OVERVIEW_SORTS, overviewFilters, overviewLink, overviewSort, OverviewView } from './overview-filters';
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
  @Render('overzicht')
  async overview(@Query() query: Record<string, unknown>, @Req() request: Request, @CurrentUser() user: AuthenticatedUser) {
    const view: OverviewView = { filters: overviewFilters(query), sort: overviewSort(query), pageSize: pageSizeParam(query) };
    const cursor = cursorParam(query, 'na');
    const overview = await this.reads.overview(user, view, cursor);
    return {
      ...pageLocals(request, user),
      ...overview,
      filters: view.filters,
      sort: view.sort,
      pageSize: view.pageSize,
      filtered: Object.keys(view.filters).length > 0,
      nextPage: overview.nextCursor ? overviewLink(view, overview.nextCursor) : null,
      firstPage: cursor ? overviewLink(view) : null,
      states: TRANSITION_STATES.map((state) => ({ value: state, label: STATE_LABELS[state] })),
      sorts: OVERVIEW_SORTS,
      stateLabels: STATE_LABELS,
      dutchDate,
      countdownText,
    };
  }
}
