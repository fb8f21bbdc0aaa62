import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransitionState } from '../../../../workflows/transition/definitions';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { amsterdamToday } from '../../../time/amsterdam';
import { ListTransitionsQuery } from '../../../transitions/dto/list-transitions.query';
import { TransitionsService } from '../../../transitions/transitions.service';
import type { OverviewFilters } from './overview-filters';
import { byTimeToAct, daysToAct, daysUntil } from './time-to-act';

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
  daysToAct: number | null;
  atRisk: boolean;
  overdueTasks: number;
  tasks: Progress;
  clients: Progress;
  /** The latest resident campaign's share done, in per cent; null without a campaign. */
  campaign: { percentDone: number; state: string } | null;
}

export interface Overview {
  rows: OverviewRow[];
  /** Every provider of the municipality's handovers, for the filter's choices. */
  providers: Array<{ code: string; name: string }>;
  today: string;
}

/**
 * The overview's read, from read models only: the list of handovers (TransitionsService.list,
 * the same rules as `GET /transitions`), with task counts, district and provider names in one
 * grouped query each. Kept apart from the page so it can turn into a paged read.
 */
@Injectable()
export class OverviewReads {
  constructor(
    private readonly transitions: TransitionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async overview(user: AuthenticatedUser, filters: OverviewFilters, today = amsterdamToday()): Promise<Overview> {
    // TODO(next session): page the overview with the list's cursor and filter the provider in SQL.
    const query = Object.assign(new ListTransitionsQuery(), { state: filters.state, atRisk: filters.atRisk, limit: 200 });
    const all = (await this.transitions.list(query, user)).items;
    const providers = new Set(all.flatMap((item) => [item.outgoingProvider, item.incomingProvider]));
    const items = filters.provider
      ? all.filter((item) => item.outgoingProvider === filters.provider || item.incomingProvider === filters.provider)
      : all;
    const ids = items.map((item) => item.transitionId);
    const [tasks, names, districts] = await Promise.all([
      this.taskCounts(ids),
      this.organisationNames([...providers]),
      this.districtNames(user.organisation),
    ]);
    const rows = items.map((item): OverviewRow => {
      const task = tasks.get(item.transitionId) ?? { done: 0, total: 0, nextDueDate: null };
      return {
        transitionId: item.transitionId,
        district: item.district,
        districtName: districts.get(item.district) ?? item.district,
        outgoing: { code: item.outgoingProvider, name: names.get(item.outgoingProvider) ?? item.outgoingProvider },
        incoming: { code: item.incomingProvider, name: names.get(item.incomingProvider) ?? item.incomingProvider },
        state: item.state,
        goLiveDate: item.goLiveDate,
        daysToGoLive: daysUntil(today, item.goLiveDate),
        daysToAct: daysToAct({ state: item.state, goLiveDate: item.goLiveDate, nextDueDate: task.nextDueDate }, today),
        atRisk: item.atRisk,
        overdueTasks: item.overdueTasks,
        tasks: { done: task.done, total: task.total },
        clients: { done: item.clients.finished, total: item.clients.total },
        campaign: item.campaign ? { percentDone: Math.round(item.campaign.shareDone * 100), state: item.campaign.state } : null,
      };
    });
    return {
      rows: rows.sort(byTimeToAct),
      providers: [...providers].map((code) => ({ code, name: names.get(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, 'nl')),
      today,
    };
  }

  private async taskCounts(ids: string[]): Promise<Map<string, Progress & { nextDueDate: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ transitionId: string; done: number; total: number; nextDueDate: string | null }> = await this.dataSource.query(
      `SELECT transition_id AS "transitionId", count(*) FILTER (WHERE status = 'done')::int AS done, count(*)::int AS total,
              to_char(min(due_date) FILTER (WHERE status = 'open'), 'YYYY-MM-DD') AS "nextDueDate"
       FROM transition_tasks WHERE transition_id = ANY ($1::text[]) GROUP BY transition_id`,
      [ids],
    );
    return new Map(rows.map(({ transitionId, ...counts }) => [transitionId, counts]));
  }

  private async organisationNames(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows: Array<{ code: string; name: string }> = await this.dataSource.query(
      'SELECT code, name FROM organisations WHERE code = ANY ($1::text[])',
      [codes],
    );
    return new Map(rows.map((row) => [row.code, row.name]));
  }

  private async districtNames(municipality: string): Promise<Map<string, string>> {
    const rows: Array<{ code: string; name: string }> = await this.dataSource.query(
      'SELECT code, name FROM districts WHERE municipality = $1',
      [municipality],
    );
    return new Map(rows.map((row) => [row.code, row.name]));
  }
}
