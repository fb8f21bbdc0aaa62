import Holidays from 'date-holidays';

const netherlands = new Holidays('NL');
/** A year's public holidays, worked out once: date-holidays takes milliseconds per year. */
const publicHolidaysByYear = new Map<number, string[]>();

function publicHolidaysOf(year: number): string[] {
  let days = publicHolidaysByYear.get(year);
  if (!days) {
    days = netherlands
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => holiday.date.slice(0, 10));
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

/** Dutch public holidays (YYYY-MM-DD) in the years from `from` through `to`, for the business calendar. */
export function dutchPublicHolidays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) days.push(...publicHolidaysOf(year));
  return days;
}
