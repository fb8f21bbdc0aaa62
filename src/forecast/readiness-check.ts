import type { DataSource } from 'typeorm';
import type { Mailer } from '../notifications/mailer.service';
import { createNotificationActivities } from '../notifications/notification.activities';
import type { NotificationRequest } from '../notifications/notification.types';
import { amsterdamToday } from '../time/amsterdam';
import type { ReadinessVerdict } from './forecast';
import { forecastsOf } from './forecast.service';

/** Handovers still to go live; a page of them is forecast in the same queries. */
const OPEN_STATES = ['planned', 'preparing', 'ready'];
const PAGE = 200;

export interface ReadinessCheckResult {
  checked: number;
  late: number;
  /** Handovers that turned late in this check, each of whose municipality was notified. */
  alerted: number;
}

/**
 * Forecasts every open handover and records its verdict (readiness_verdicts). A handover that is
 * late now and was not at the last check (or was never checked) alerts its municipality's
 * coordinators. The alert goes first, under an id of the handover and the day: a check that is
 * stopped before it records the verdict repeats the same notification, which is then kept single;
 * a second check on the same day finds the verdict late already and alerts nobody.
 */
export async function checkReadiness(
  dataSource: DataSource,
  notify: (request: NotificationRequest) => Promise<void>,
  today: string,
): Promise<ReadinessCheckResult> {
  const result: ReadinessCheckResult = { checked: 0, late: 0, alerted: 0 };
  let after = '';
  for (;;) {
    const page: Array<{ transitionId: string }> = await dataSource.query(
      `SELECT transition_id AS "transitionId" FROM transition_summaries
       WHERE state = ANY ($1::text[]) AND transition_id > $2 ORDER BY transition_id LIMIT $3`,
      [OPEN_STATES, after, PAGE],
    );
    if (page.length === 0) return result;
    after = page.at(-1)!.transitionId;
    const ids = page.map((row) => row.transitionId);
    const [forecasts, previousRows] = await Promise.all([
      forecastsOf(dataSource, ids, today),
      dataSource.query('SELECT transition_id AS "transitionId", verdict FROM readiness_verdicts WHERE transition_id = ANY ($1::text[])', [ids]),
    ]);
    const previous = new Map<string, ReadinessVerdict>(previousRows.map((row: { transitionId: string; verdict: ReadinessVerdict }) => [row.transitionId, row.verdict]));

    for (const forecast of forecasts.values()) {
      result.checked++;
      if (forecast.verdict !== 'late') continue;
      result.late++;
      if (previous.get(forecast.transitionId) === 'late') continue;
      await notify({
        kind: 'readiness-late',
        notificationId: `readiness-late.${forecast.transitionId}.${today}`,
        organisation: forecast.municipality,
        transitionId: forecast.transitionId,
        goLiveDate: forecast.goLiveDate,
        readyDate: forecast.readyDate,
        daysLate: forecast.daysBeforeGoLive === null ? null : -forecast.daysBeforeGoLive,
      });
      result.alerted++;
    }

    const checked = [...forecasts.values()];
    await dataSource.query(
      `INSERT INTO readiness_verdicts AS v (transition_id, verdict, ready_date, checked_on, since)
       SELECT t.id, t.verdict, t.ready_date, $4, $4 FROM unnest($1::text[], $2::text[], $3::date[]) AS t(id, verdict, ready_date)
       ON CONFLICT (transition_id) DO UPDATE SET verdict = EXCLUDED.verdict, ready_date = EXCLUDED.ready_date, checked_on = EXCLUDED.checked_on,
         since = CASE WHEN v.verdict = EXCLUDED.verdict THEN v.since ELSE EXCLUDED.since END`,
      [checked.map((f) => f.transitionId), checked.map((f) => f.verdict), checked.map((f) => f.readyDate), today],
    );
  }
}

/** The daily check as an activity, built from its dependencies (see src/temporal/activities.ts). */
export function createForecastActivities({ dataSource, mailer }: { dataSource: DataSource; mailer: Mailer }) {
  const { sendNotification } = createNotificationActivities({ dataSource, mailer });
  return {
    async checkReadiness(): Promise<ReadinessCheckResult> {
      return checkReadiness(dataSource, sendNotification, amsterdamToday());
    },
  };
}

export type ForecastActivities = ReturnType<typeof createForecastActivities>;
