import { addYears } from '../time/calendar';

/** Contracts run up to 10 years: a go-live further ahead is a typo, and its derived dates would not be representable. */
export const GO_LIVE_HORIZON_YEARS = 10;

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
  if (date > addYears(today, GO_LIVE_HORIZON_YEARS)) return `${field} must be at most ${GO_LIVE_HORIZON_YEARS} years after today`;
  return null;
}
