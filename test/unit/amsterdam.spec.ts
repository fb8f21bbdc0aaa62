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
});
