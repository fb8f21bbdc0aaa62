import { DateTime } from 'luxon';

// Pure date arithmetic shared by the service and the workflows (which bundle it): no clock, no I/O.
// Calendar dates are counted as whole UTC days (cheap: a handover's alarms are re-derived after
// every change); only the time zone needs luxon, and its answers are kept per date.

export const AMSTERDAM = 'Europe/Amsterdam';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD calendar date. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Adds days to a YYYY-MM-DD calendar date. */
export function addDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/** Whole days from one YYYY-MM-DD calendar date to another (negative when `to` lies before `from`). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
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
    const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay(); // 0 Sunday … 6 Saturday
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(date);
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

  /** The business day `days` business days after (negative: before) the date, which itself need not be one. */
  addBusinessDays(date: string, days: number): string {
    let day = date;
    for (let left = Math.abs(days); left > 0; left -= 1) {
      day = days > 0 ? this.onOrAfter(addDays(day, 1)) : this.onOrBefore(addDays(day, -1));
    }
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
    let instant = nineAmByDate.get(date);
    if (instant === undefined) {
      instant = DateTime.fromISO(`${date}T09:00`, { zone: AMSTERDAM }).toMillis();
      nineAmByDate.set(date, instant);
    }
    return instant;
  }
}

/** 09:00 Europe/Amsterdam per date, as luxon answered it: the same for every caller, so safe to share. */
const nineAmByDate = new Map<string, number>();
