import { DateTime } from 'luxon';
import { AMSTERDAM, amsterdamDate } from './calendar';

/** Today's calendar date in Europe/Amsterdam, YYYY-MM-DD. */
export function amsterdamToday(now: Date = new Date()): string {
  return amsterdamDate(now.getTime());
}

/** The instant (ISO 8601, UTC) at which a Europe/Amsterdam calendar date begins. */
export function startOfAmsterdamDay(date: string): string {
  return DateTime.fromISO(date, { zone: AMSTERDAM }).startOf('day').toUTC().toISO()!;
}
