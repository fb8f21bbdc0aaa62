import type { DataSource } from 'typeorm';
import type { TransitionPlan, TransitionState } from '../../../workflows/transition/definitions';
import { campaignShareDone, CampaignTally } from '../../campaigns/campaign-tallies';
import { ClientTally, shareOf, zeroPerStep } from '../../clients/client-tallies';
import type { TransferStep } from '../../clients/client.events';
import { decodeCursor } from '../../paging/cursor';
import { DEFAULT_LIMIT, Page, pageOf } from '../../paging/page';
import type { TransitionSort } from '../dto/list-transitions.query';

/** A row of `GET /transitions`, from the read models, in one statement. */
export interface TransitionListItem
  extends Pick<TransitionPlan, 'transitionId' | 'municipality' | 'district' | 'outgoingProvider' | 'incomingProvider' | 'goLiveDate'> {
  template: string;
  state: TransitionState;
  atRisk: boolean;
  createdAt: Date;
  updatedAt: Date;
  overdueTasks: number;
  /** The day by which something must be done (see `ACT_BY`); null with nothing left to act on. */
  actBy: string | null;
  tasks: { done: number; total: number };
  /** Its client transfers in brief, from the client_transfers read model. */
  clients: ClientTally;
  /** Its latest resident campaign in brief, from the campaigns read model. */
  campaign: CampaignTally | null;
}

export interface TransitionFilters {
  municipality: string | null;
  state: string | null;
  atRisk: boolean | null;
  provider: string | null;
}

export interface TransitionPageRequest {
  sort: TransitionSort;
  cursor?: string;
  limit?: number;
  /** Today in Europe/Amsterdam: what is overdue. */
  today: string;
}

/**
 * Time to act: the earliest of the next due date of an open task (an overdue one is in the
 * past, so it comes first) and, while go-live is still ahead of the handover (planned,
 * preparing, ready), the go-live date. Nothing to act on (closed or cancelled, or live without
 * open tasks): null, sorted last as 'infinity'.
 */
const ACT_BY = `CASE WHEN s.state IN ('closed', 'cancelled') THEN NULL
                     ELSE least(t.next_due, CASE WHEN s.state IN ('planned', 'preparing', 'ready') THEN s.go_live_date END) END`;

/** Each sort: its cursor kind and its key, a date (then the transition id breaks ties). */
const SORTS: Record<TransitionSort, { kind: string; key: string }> = {
  'time-to-act': { kind: 'transitions.time-to-act', key: `coalesce(act_by, 'infinity'::date)` },
  'go-live': { kind: 'transitions.go-live', key: 'go_live_date' },
};

export async function listTransitions(
  dataSource: DataSource,
  filters: TransitionFilters,
  request: TransitionPageRequest,
): Promise<Page<TransitionListItem>> {
  const sort = SORTS[request.sort];
  const limit = request.limit ?? DEFAULT_LIMIT;
  const after = request.cursor ? decodeCursor(request.cursor, sort.kind, ['date-or-infinity', 'text']) : null;
  const params: unknown[] = [filters.municipality, filters.state, filters.atRisk, filters.provider, request.today, limit + 1];
  const keyset = after ? `WHERE (${sort.key}, transition_id) > ($7::date, $8::text)` : '';
  if (after) params.push(after[0], after[1]);
  const rows: ListRow[] = await dataSource.query(
    `WITH listed AS (
       SELECT s.transition_id, s.municipality, s.district, s.outgoing_provider, s.incoming_provider, s.go_live_date,
              s.template, s.state, (s.at_risk OR coalesce(c.behind_schedule, false)) AS at_risk, s.created_at, s.updated_at,
              coalesce(t.overdue, 0) AS overdue, coalesce(t.done, 0) AS tasks_done, coalesce(t.total, 0) AS tasks_total,
              ${ACT_BY} AS act_by,
              c.campaign_id, c.state AS campaign_state, c.behind_schedule, c.deadline, c.done AS campaign_done, c.total AS campaign_total
       FROM transition_summaries s
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'done')::int AS done,
                count(*) FILTER (WHERE status = 'open' AND due_date < $5::date)::int AS overdue,
                min(due_date) FILTER (WHERE status = 'open') AS next_due
         FROM transition_tasks WHERE transition_id = s.transition_id) t ON true
       LEFT JOIN LATERAL (
         SELECT campaign_id, state, behind_schedule, deadline,
                emails_sent + emails_bounced + letters_posted + skipped AS done, emails + letters + fallback_letters AS total
         FROM campaigns WHERE transition_id = s.transition_id ORDER BY created_at DESC LIMIT 1) c ON true
       WHERE ($1::text IS NULL OR s.municipality = $1)
         AND ($2::text IS NULL OR s.state = $2)
         AND ($3::boolean IS NULL OR (s.at_risk OR coalesce(c.behind_schedule, false)) = $3)
         AND ($4::text IS NULL OR s.outgoing_provider = $4 OR s.incoming_provider = $4)
     ), page AS (
       SELECT *, ${sort.key} AS sort_at FROM listed ${keyset}
       ORDER BY ${sort.key}, transition_id LIMIT $6
     )
     SELECT p.transition_id AS "transitionId", p.municipality, p.district, p.outgoing_provider AS "outgoingProvider",
            p.incoming_provider AS "incomingProvider", to_char(p.go_live_date, 'YYYY-MM-DD') AS "goLiveDate", p.template, p.state,
            p.at_risk AS "atRisk", p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.overdue AS "overdueTasks",
            to_char(p.act_by, 'YYYY-MM-DD') AS "actBy", p.tasks_done AS "tasksDone", p.tasks_total AS "tasksTotal",
            to_char(p.sort_at, 'YYYY-MM-DD') AS "sortKey", p.campaign_id AS "campaignId", p.campaign_state AS "campaignState",
            p.behind_schedule AS "behindSchedule", to_char(p.deadline, 'YYYY-MM-DD') AS deadline,
            p.campaign_done AS "campaignDone", p.campaign_total AS "campaignTotal",
            coalesce(ct.steps, '{}'::jsonb) AS "clientSteps", coalesce(ct.finished, 0)::int AS "clientsFinished"
     FROM page p
     LEFT JOIN LATERAL (
       SELECT jsonb_object_agg(step, n) AS steps, sum(finished) AS finished
       FROM (SELECT step, count(*)::int AS n, count(*) FILTER (WHERE finished)::int AS finished
             FROM client_transfers WHERE transition_id = p.transition_id GROUP BY step) per_step) ct ON true
     ORDER BY p.sort_at, p.transition_id`,
    params,
  );
  // to_char gives NULL for 'infinity'.
  return pageOf(rows, limit, sort.kind, (row) => [row.sortKey ?? 'infinity', row.transitionId], toItem);
}

interface ListRow extends Omit<TransitionListItem, 'tasks' | 'clients' | 'campaign'> {
  sortKey: string | null;
  tasksDone: number;
  tasksTotal: number;
  campaignId: string | null;
  campaignState: CampaignTally['state'];
  behindSchedule: boolean;
  deadline: string;
  campaignDone: number;
  campaignTotal: number;
  clientSteps: Partial<Record<TransferStep, number>>;
  clientsFinished: number;
}

function toItem(row: ListRow): TransitionListItem {
  const { sortKey, tasksDone, tasksTotal, campaignId, campaignState, behindSchedule, deadline, campaignDone, campaignTotal,
    clientSteps, clientsFinished, ...item } = row;
  const byStep = { ...zeroPerStep(), ...clientSteps };
  const total = Object.values(byStep).reduce((sum, n) => sum + n, 0);
  return {
    ...item,
    tasks: { done: tasksDone, total: tasksTotal },
    clients: { total, finished: clientsFinished, shareDone: shareOf(clientsFinished, total), byStep },
    campaign: campaignId === null ? null : {
      campaignId, state: campaignState, behindSchedule, deadline, done: campaignDone, total: campaignTotal,
      shareDone: campaignShareDone(campaignState, campaignDone, campaignTotal),
    },
  };
}
