import Holidays from 'date-holidays';

const netherlands = new Holidays('NL');

/** Dutch public holidays (YYYY-MM-DD) in the years from `from` through `to`, for the business calendar. */
export function dutchPublicHolidays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const holiday of netherlands.getHolidays(year)) {
      if (holiday.type === 'public') days.push(holiday.date.slice(0, 10));
    }
  }
  return days;
}
