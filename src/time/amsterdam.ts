import { DateTime } from 'luxon';
import { addDays, AMSTERDAM, amsterdamDate } from './calendar';

/** The Amsterdam day asked for last, with the instants it begins and ends (ms): every read asks for today. */
let lastDay: { date: string; from: number; until: number } | undefined;

/** Today's calendar date in Europe/Amsterdam, YYYY-MM-DD. */
export function amsterdamToday(now: Date = new Date()): string {
  const ms = now.getTime();
  if (lastDay && ms >= lastDay.from && ms < lastDay.until) return lastDay.date;
  const date = amsterdamDate(ms);
  lastDay = { date, from: Date.parse(startOfAmsterdamDay(date)), until: Date.parse(startOfAmsterdamDay(addDays(date, 1))) };
  return date;
}

/** The instant (ISO 8601, UTC) at which a Europe/Amsterdam calendar date begins. */
export function startOfAmsterdamDay(date: string): string {
  return DateTime.fromISO(date, { zone: AMSTERDAM }).startOf('day').toUTC().toISO()!;
}
