import type { TransitionState } from '../../../../workflows/transition/definitions';

const DAY_MS = 86_400_000;

/** Whole calendar days from `today` to `date` (both YYYY-MM-DD): negative when `date` is past. */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** A countdown in days, in Dutch: "over 12 dagen", "morgen", "vandaag", "gisteren", "3 dagen geleden". */
export function countdownText(days: number): string {
  if (days === 0) return 'vandaag';
  if (days === 1) return 'morgen';
  if (days === -1) return 'gisteren';
  return days > 0 ? `over ${days} dagen` : `${-days} dagen geleden`;
}

/** States in which nothing is left to do before go-live. */
const AT_REST: ReadonlySet<TransitionState> = new Set(['live', 'closed', 'cancelled']);

export interface ActingDates {
  state: TransitionState;
  goLiveDate: string;
  /** The earliest due date of an open task (overdue ones included), if any. */
  nextDueDate: string | null;
}

/**
 * Days left before something of this handover needs doing: the nearer of go-live and its
 * earliest open task's due date (negative when that is overdue); null once it is live, closed
 * or cancelled.
 */
export function daysToAct({ state, goLiveDate, nextDueDate }: ActingDates, today: string): number | null {
  if (AT_REST.has(state)) return null;
  const toGoLive = daysUntil(today, goLiveDate);
  return nextDueDate === null ? toGoLive : Math.min(toGoLive, daysUntil(today, nextDueDate));
}

export interface Sortable {
  transitionId: string;
  goLiveDate: string;
  atRisk: boolean;
  daysToAct: number | null;
}

/**
 * "Least time to act" first: handovers still running by days to act (at risk first on a tie),
 * then the ones at rest by go-live; the id settles the rest, so the order is stable.
 */
export function byTimeToAct(a: Sortable, b: Sortable): number {
  if ((a.daysToAct === null) !== (b.daysToAct === null)) return a.daysToAct === null ? 1 : -1;
  if (a.daysToAct !== null && b.daysToAct !== null && a.daysToAct !== b.daysToAct) return a.daysToAct - b.daysToAct;
  if (a.atRisk !== b.atRisk) return a.atRisk ? -1 : 1;
  return a.goLiveDate.localeCompare(b.goLiveDate) || a.transitionId.localeCompare(b.transitionId);
}
