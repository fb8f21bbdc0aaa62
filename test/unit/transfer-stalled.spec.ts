import { latestStalledDay, stalledCondition } from '../../src/clients/stalled';
import { addDays, BusinessCalendar } from '../../src/time/calendar';
import { dutchPublicHolidays } from '../../src/time/dutch-holidays';

/** "Stalled" in lists must agree with the day the transfer's workflow reminds the provider. */
describe('stalled transfers', () => {
  const calendar = new BusinessCalendar(dutchPublicHolidays('2026-01-01', '2027-12-31'));

  it.each([
    ['2026-11-30', 10], // a Monday
    ['2026-12-28', 5], // between Christmas and New Year
    ['2027-04-28', 5], // over King's Day (27 April)
    ['2027-05-08', 1], // a Saturday
  ])('on %s, with %i business days, counts exactly the steps whose reminder day has come', (today, days) => {
    const latest = latestStalledDay(today, days, calendar);
    for (let back = 0; back < 60; back++) {
      const since = addDays(today, -back);
      const remindedBy = calendar.addBusinessDays(since, days);
      expect([since, since <= latest]).toEqual([since, remindedBy <= today]);
    }
  });

  it('is a condition on step and step_since in SQL, with the values as parameters', () => {
    const params: unknown[] = ['x'];
    const condition = stalledCondition([{ step: 'informed', before: '2026-11-16T23:00:00.000Z' }, { step: 'consent-given', before: '2026-11-23T23:00:00.000Z' }], params);
    expect(condition).toBe('(NOT t.erased AND ((t.step = $2 AND t.step_since < $3::timestamptz) OR (t.step = $4 AND t.step_since < $5::timestamptz)))');
    expect(params).toEqual(['x', 'informed', '2026-11-16T23:00:00.000Z', 'consent-given', '2026-11-23T23:00:00.000Z']);
  });
});
