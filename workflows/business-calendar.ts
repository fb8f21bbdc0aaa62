import { DateTime } from 'luxon';

export const AMSTERDAM = 'Europe/Amsterdam';

/** Adds days to a YYYY-MM-DD calendar date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
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

  /** 09:00 Europe/Amsterdam on that date, epoch ms (summer and winter time alike). */
  static nineAm(date: string): number {
    return DateTime.fromISO(`${date}T09:00`, { zone: AMSTERDAM }).toMillis();
  }
}
