import { amsterdamToday, startOfAmsterdamDay } from '../../src/time/amsterdam';

describe('Europe/Amsterdam dates', () => {
  it('starts a summer date at 22:00 UTC the day before (CEST, UTC+2)', () => {
    expect(startOfAmsterdamDay('2022-06-01')).toBe('2022-05-31T22:00:00.000Z');
  });

  it('starts a winter date at 23:00 UTC the day before (CET, UTC+1)', () => {
    expect(startOfAmsterdamDay('2018-01-01')).toBe('2017-12-31T23:00:00.000Z');
  });

  it('is already tomorrow in Amsterdam late in the UTC evening', () => {
    expect(amsterdamToday(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(amsterdamToday(new Date('2026-11-23T22:30:00Z'))).toBe('2026-11-23');
  });

  it('answers the day it remembers up to its last millisecond, across the change to summer time', () => {
    // 29 March 2026: the clocks go from 02:00 to 03:00, a day of 23 hours (22:00 UTC to 22:00 UTC).
    expect(amsterdamToday(new Date('2026-03-28T23:00:00.000Z'))).toBe('2026-03-29');
    expect(amsterdamToday(new Date('2026-03-29T21:59:59.999Z'))).toBe('2026-03-29');
    expect(amsterdamToday(new Date('2026-03-29T22:00:00.000Z'))).toBe('2026-03-30');
    expect(amsterdamToday(new Date('2026-03-28T22:59:59.999Z'))).toBe('2026-03-28');
  });
});
