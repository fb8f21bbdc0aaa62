import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransitionState } from '../../../../workflows/transition/definitions';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { briefForecast } from '../../../forecast/forecast-wording';
import { ForecastService } from '../../../forecast/forecast.service';
import { amsterdamToday } from '../../../time/amsterdam';
import { ListTransitionsQuery } from '../../../transitions/dto/list-transitions.query';
import { TransitionsService } from '../../../transitions/transitions.service';
import { cachedQuery, readCacheOf, readKey } from '../../../database/read-cache';
import { STATE_LABELS, TRANSITION_STATES } from '../../dutch-labels';
import { daysUntil } from './countdown';
import { OVERVIEW_SORTS, overviewLink, OverviewView } from './overview-filters';

interface Progress {
  done: number;
  total: number;
}

/** One row of the coordinator's overview: a handover in brief, counts only (never a client). */
export interface OverviewRow {
  transitionId: string;
  district: string;
  districtName: string;
  outgoing: { code: string; name: string };
  incoming: { code: string; name: string };
  state: TransitionState;
  goLiveDate: string;
  daysToGoLive: number;
  atRisk: boolean;
  overdueTasks: number;
  tasks: Progress;
  clients: Progress;
  /** The latest resident campaign's share done, in per cent; null without a campaign. */
  campaign: { percentDone: number; state: string } | null;
  /** The readiness forecast in brief, while go-live is ahead (planned, preparing, ready); else null. */
  forecast: { text: string; late: boolean } | null;
}

export interface Overview {
  rows: OverviewRow[];
  /** Where the next page starts; null on the last. */
  nextCursor: string | null;
  /** Every provider of the municipality's handovers (not only this page's), for the filter's choices. */
  providers: Array<{ code: string; name: string }>;
  today: string;
}

/** What the overview shows: a page of handovers in the URL's view, the filter form's choices and the links to other pages. */
export interface OverviewPage extends Overview, OverviewView {
  filtered: boolean;
  nextPage: string | null;
  firstPage: string | null;
  states: Array<{ value: TransitionState; label: string }>;
  sorts: typeof OVERVIEW_SORTS;
}

/** States whose handover still has go-live ahead, so a forecast means something. */
const FORECAST_STATES: ReadonlySet<TransitionState> = new Set(['planned', 'preparing', 'ready']);

/**
 * The overview's read, from read models only: a page of the list of handovers
 * (TransitionsService.list, the same rules, filters in SQL and keyset cursor as
 * `GET /transitions`), the page's forecasts in one batched read, and the names of the
 * municipality's providers and districts.
 */
@Injectable()
export class OverviewReads {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly forecasts: ForecastService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The overview's content for the URL's view and page: the same for every coordinator and
   * auditor of the municipality, so remembered (ReadCache) until the next commit, and rendered
   * once (see sendPage).
   */
  async page(user: AuthenticatedUser, view: OverviewView, cursor: string | undefined, today = amsterdamToday()): Promise<OverviewPage> {
    const key = readKey('web.overview', user.role, user.organisation, view, cursor ?? null, today);
    return readCacheOf(this.dataSource).read(key, async () => {
      const overview = await this.overview(user, view, cursor, today);
      return {
        ...overview,
        ...view,
        filtered: Object.keys(view.filters).length > 0,
        nextPage: overview.nextCursor ? overviewLink(view, overview.nextCursor) : null,
        firstPage: cursor ? overviewLink(view) : null,
        states: TRANSITION_STATES.map((state) => ({ value: state, label: STATE_LABELS[state] })),
        sorts: OVERVIEW_SORTS,
      };
    });
  }

  private async overview(user: AuthenticatedUser, view: OverviewView, cursor: string | undefined, today: string): Promise<Overview> {
    const query = Object.assign(new ListTransitionsQuery(), {
      state: view.filters.state,
      atRisk: view.filters.atRisk,
      provider: view.filters.provider,
      sort: view.sort,
      cursor,
      limit: view.pageSize,
    });
    const [page, providers, districts] = await Promise.all([
      this.transitions.list(query, user),
      this.providersOf(user.organisation),
      this.districtNames(user.organisation),
    ]);
    const forecasts = await this.forecasts.forTransitions(
      page.items.filter((item) => FORECAST_STATES.has(item.state)).map((item) => item.transitionId),
      today,
    );
    const names = new Map(providers.map((provider) => [provider.code, provider.name]));
    const party = (code: string) => ({ code, name: names.get(code) ?? code });
    const rows = page.items.map((item): OverviewRow => {
      const forecast = forecasts.get(item.transitionId);
      return {
        transitionId: item.transitionId,
        district: item.district,
        districtName: districts.get(item.district) ?? item.district,
        outgoing: party(item.outgoingProvider),
        incoming: party(item.incomingProvider),
        state: item.state,
        goLiveDate: item.goLiveDate,
        daysToGoLive: daysUntil(today, item.goLiveDate),
        atRisk: item.atRisk,
        overdueTasks: item.overdueTasks,
        tasks: item.tasks,
        clients: { done: item.clients.finished, total: item.clients.total },
        campaign: item.campaign ? { percentDone: Math.round(item.campaign.shareDone * 100), state: item.campaign.state } : null,
        forecast: forecast ? { text: briefForecast(forecast), late: forecast.verdict === 'late' } : null,
      };
    });
    return { rows, nextCursor: page.nextCursor, providers, today };
  }

  /** The providers of the municipality's handovers, outgoing or incoming, with their names. */
  private async providersOf(municipality: string): Promise<Array<{ code: string; name: string }>> {
    const rows = await cachedQuery<{ code: string; name: string }>(
      this.dataSource,
      `SELECT p.code, coalesce(o.name, p.code) AS name
       FROM (SELECT outgoing_provider AS code FROM transition_summaries WHERE municipality = $1
             UNION SELECT incoming_provider FROM transition_summaries WHERE municipality = $1) p
       LEFT JOIN organisations o ON o.code = p.code`,
      [municipality],
    );
    return [...rows].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  private async districtNames(municipality: string): Promise<Map<string, string>> {
    const rows = await cachedQuery<{ code: string; name: string }>(
      this.dataSource,
      'SELECT code, name FROM districts WHERE municipality = $1',
      [municipality],
    );
    return new Map(rows.map((row) => [row.code, row.name]));
  }
}
