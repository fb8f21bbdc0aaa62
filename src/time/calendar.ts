import { DateTime } from 'luxon';

// Pure date arithmetic shared by the service and the workflows (which bundle it): no clock, no I/O.

export const AMSTERDAM = 'Europe/Amsterdam';

/** Adds days to a YYYY-MM-DD calendar date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Whole days from one YYYY-MM-DD calendar date to another (negative when `to` lies before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}

/** Adds calendar years to a YYYY-MM-DD date (29 February becomes 28 February). */
export function addYears(date: string, years: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ years }).toISODate()!;
}

/** The calendar date in Europe/Amsterdam of an instant (epoch ms). */
export function amsterdamDate(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: AMSTERDAM }).toISODate()!;
}

/** Working days in the Netherlands: Monday to Friday, except the public holidays given. */
export class BusinessCalendar {
  private readonly holidays: Set<string>;

  constructor(holidays: string[]) {
    this.holidays = new Set(holidays);
  }

  isBusinessDay(date: string): boolean {
    return DateTime.fromISO(date).weekday <= 5 && !this.holidays.has(date);
  }

  /** The date itself if a business day, else the nearest business day before it. */
  onOrBefore(date: string): string {
    let day = date;
    while (!this.isBusinessDay(day)) day = addDays(day, -1);
    return day;
  }

  /** The date itself if a business day, else the nearest business day after it. */
  onOrAfter(date: string): string {
    let day = date;
    while (!this.isBusinessDay(day)) day = addDays(day, 1);
    return day;
  }

  /** The first 09:00 Europe/Amsterdam on a business day after the instant given. */
  nextNineAmAfter(epochMs: number): number {
    let day = this.onOrAfter(amsterdamDate(epochMs));
    while (BusinessCalendar.nineAm(day) <= epochMs) day = this.onOrAfter(addDays(day, 1));
    return BusinessCalendar.nineAm(day);
  }

  /** 09:00 Europe/Amsterdam on that date, epoch ms (summer and winter time alike). */
  static nineAm(date: string): number {
    return DateTime.fromISO(`${date}T09:00`, { zone: AMSTERDAM }).toMillis();
  }
}
