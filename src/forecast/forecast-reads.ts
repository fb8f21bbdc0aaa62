import type { DataSource } from 'typeorm';
import type { TransitionState } from '../../workflows/transition/definitions';
import { startOfAmsterdamDay } from '../time/amsterdam';
import { addDays } from '../time/calendar';
import type { ForecastInput, StreamKey, StreamProgress } from './forecast';

/** What the forecast needs of a handover besides its progress. */
export interface ForecastSubject {
  transitionId: string;
  municipality: string;
  state: TransitionState;
  input: ForecastInput;
}

interface Total {
  transitionId: string;
  total: number;
  done: number;
}
interface Day {
  transitionId: string;
  date: string;
  count: number;
}

const AMSTERDAM_DAY = (column: string) => `to_char((${column} AT TIME ZONE 'Europe/Amsterdam')::date, 'YYYY-MM-DD')`;

/** Done in the campaign's events, as the campaigns read model counts it (emails sent, bounced or skipped; letters posted or skipped). */
const CAMPAIGN_DONE = `CASE e.type
  WHEN 'EmailPageSent' THEN (e.data->>'sent')::int + (e.data->>'bounced')::int + (e.data->>'skipped')::int
  WHEN 'LetterBatchRendered' THEN (e.data->>'skipped')::int
  ELSE (e.data->>'letters')::int END`;

/** Each handover's latest campaign; a cancelled one has nothing left to do. */
const LATEST_CAMPAIGNS = `
  SELECT DISTINCT ON (transition_id) transition_id, campaign_id, state,
         CASE WHEN state = 'cancelled' THEN 0 ELSE emails + letters + fallback_letters END AS total,
         CASE WHEN state = 'cancelled' THEN 0 ELSE emails_sent + emails_bounced + letters_posted + skipped END AS done
  FROM campaigns WHERE transition_id = ANY ($1::text[])
  ORDER BY transition_id, created_at DESC`;

/**
 * Reads the progress of these handovers from the read models, with the events of their latest
 * campaigns for its days: totals per stream, and per day of the window what got done. A query per
 * stream for all handovers at once, each bounded by a handover's own rows (its tasks, its
 * transfers, its campaign's events since the window began); no stream is read into memory.
 */
export async function readForecastSubjects(
  dataSource: DataSource,
  transitionIds: readonly string[],
  today: string,
  windowDays: number,
): Promise<Map<string, ForecastSubject>> {
  const subjects = new Map<string, ForecastSubject>();
  if (transitionIds.length === 0) return subjects;
  const ids = [...new Set(transitionIds)];
  const since = startOfAmsterdamDay(addDays(today, -(windowDays - 1)));

  const [summaries, taskTotals, taskDays, clientTotals, clientDays, campaignTotals, campaignDays] = await Promise.all([
    dataSource.query(
      `SELECT transition_id AS "transitionId", municipality, state, to_char(go_live_date, 'YYYY-MM-DD') AS "goLiveDate",
              ${AMSTERDAM_DAY('created_at')} AS "startedOn"
       FROM transition_summaries WHERE transition_id = ANY ($1::text[])`,
      [ids],
    ) as Promise<Array<{ transitionId: string; municipality: string; state: TransitionState; goLiveDate: string; startedOn: string }>>,
    // Tasks for the start only: those due on go-live or before (an evaluation months later is no part of being ready).
    dataSource.query(
      `SELECT t.transition_id AS "transitionId", count(*)::int AS total, count(*) FILTER (WHERE t.status = 'done')::int AS done
       FROM transition_tasks t JOIN transition_summaries s ON s.transition_id = t.transition_id
       WHERE t.transition_id = ANY ($1::text[]) AND t.due_date <= s.go_live_date
       GROUP BY t.transition_id`,
      [ids],
    ) as Promise<Total[]>,
    dataSource.query(
      `SELECT t.transition_id AS "transitionId", ${AMSTERDAM_DAY('t.completed_at')} AS date, count(*)::int AS count
       FROM transition_tasks t JOIN transition_summaries s ON s.transition_id = t.transition_id
       WHERE t.transition_id = ANY ($1::text[]) AND t.due_date <= s.go_live_date AND t.status = 'done' AND t.completed_at >= $2
       GROUP BY 1, 2`,
      [ids, since],
    ) as Promise<Day[]>,
    dataSource.query(
      `SELECT transition_id AS "transitionId", count(*)::int AS total, count(*) FILTER (WHERE finished)::int AS done
       FROM client_transfers WHERE transition_id = ANY ($1::text[]) GROUP BY transition_id`,
      [ids],
    ) as Promise<Total[]>,
    dataSource.query(
      `SELECT transition_id AS "transitionId", ${AMSTERDAM_DAY('finished_at')} AS date, count(*)::int AS count
       FROM client_transfers WHERE transition_id = ANY ($1::text[]) AND finished AND finished_at >= $2
       GROUP BY 1, 2`,
      [ids, since],
    ) as Promise<Day[]>,
    dataSource.query(`SELECT transition_id AS "transitionId", total, done FROM (${LATEST_CAMPAIGNS}) c`, [ids]) as Promise<Total[]>,
    dataSource.query(
      `SELECT c.transition_id AS "transitionId", ${AMSTERDAM_DAY('e.recorded_at')} AS date, sum(${CAMPAIGN_DONE})::int AS count
       FROM (${LATEST_CAMPAIGNS}) c
       JOIN events e ON e.stream_id = 'campaign.' || c.transition_id || '.' || c.campaign_id
       WHERE c.state <> 'cancelled' AND e.type IN ('EmailPageSent', 'LetterBatchRendered', 'LetterBatchPosted') AND e.recorded_at >= $2
       GROUP BY 1, 2`,
      [ids, since],
    ) as Promise<Day[]>,
  ]);

  const progress = (stream: StreamKey, totals: Total[], days: Day[]) => {
    const byId = new Map<string, StreamProgress & { doneByDay: Array<{ date: string; count: number }> }>();
    for (const { transitionId, total, done } of totals) byId.set(transitionId, { stream, total, done, doneByDay: [] });
    for (const { transitionId, date, count } of days) byId.get(transitionId)?.doneByDay.push({ date, count });
    return (transitionId: string): StreamProgress => byId.get(transitionId) ?? { stream, total: 0, done: 0, doneByDay: [] };
  };
  const tasks = progress('tasks', taskTotals, taskDays);
  const clients = progress('clients', clientTotals, clientDays);
  const campaign = progress('campaign', campaignTotals, campaignDays);

  for (const { transitionId, municipality, state, goLiveDate, startedOn } of summaries) {
    subjects.set(transitionId, {
      transitionId,
      municipality,
      state,
      input: {
        transitionId,
        goLiveDate,
        startedOn,
        today,
        windowDays,
        streams: [tasks(transitionId), clients(transitionId), campaign(transitionId)],
      },
    });
  }
  return subjects;
}
