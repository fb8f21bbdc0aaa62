import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { dutchDate, STATE_LABELS, TRANSITION_STATES } from '../../dutch-labels';
import { pageLocals } from '../../page-locals';
import { overviewFilters } from './overview-filters';
import { OverviewReads } from './overview-reads';
import { countdownText } from './time-to-act';

/** The coordinator's overview (`/`): every handover of the municipality, least time to act first. */
@WebPage()
@Controller()
export class OverviewController {
  constructor(private readonly reads: OverviewReads) {}

  @Get()
  @Roles('coordinator', 'auditor')
  @Render('overzicht')
  async overview(@Query() query: Record<string, unknown>, @Req() request: Request, @CurrentUser() user: AuthenticatedUser) {
    const filters = overviewFilters(query);
    const overview = await this.reads.overview(user, filters);
    return {
      ...pageLocals(request, user),
      ...overview,
      filters,
      filtered: Object.keys(filters).length > 0,
      states: TRANSITION_STATES.map((state) => ({ value: state, label: STATE_LABELS[state] })),
      stateLabels: STATE_LABELS,
      dutchDate,
      countdownText,
    };
  }
}
