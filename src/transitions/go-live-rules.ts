import { addYears } from '../time/calendar';

/**
 * Go-live is at most this many years after today: contracts run up to 10 years, and every date
 * derived from go-live (tasks due up to about 120 days before it, the evaluation about 90 days
 * after) stays an ordinary calendar date.
 */
export const MAX_GO_LIVE_YEARS_AHEAD = 10;

/** The latest go-live allowed on `today` (YYYY-MM-DD): that date MAX_GO_LIVE_YEARS_AHEAD years on (29 Feb → 28 Feb). */
export function latestGoLiveDate(today: string): string {
  return addYears(today, MAX_GO_LIVE_YEARS_AHEAD);
}

/**
 * Why a go-live date cannot be used, or null when it can: it must be a real YYYY-MM-DD date
 * after today and at most GO_LIVE_HORIZON_YEARS ahead (Europe/Amsterdam). The same rule holds at
 * the HTTP edge and in the workflow.
 */
export function goLiveDateProblem(field: string, date: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    return `${field} must be a real calendar date as YYYY-MM-DD`;
  }
  if (date <= today) return `${field} must be after today (Europe/Amsterdam)`;
  if (date > latestGoLiveDate(today)) return `${field} must be at most ${MAX_GO_LIVE_YEARS_AHEAD} years after today`;
  return null;
}
