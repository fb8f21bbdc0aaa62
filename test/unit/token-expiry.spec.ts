import { tokenExpiry } from '../../src/auth/token-expiry';

describe('token expiry from token:create options', () => {
  const now = new Date('2026-11-30T10:00:00.000Z');

  it('is none unless asked for', () => {
    expect(tokenExpiry({}, now)).toBeUndefined();
  });

  it('counts --expires-in in days or hours from now', () => {
    expect(tokenExpiry({ expiresIn: '90d' }, now)).toEqual(new Date('2027-02-28T10:00:00.000Z'));
    expect(tokenExpiry({ expiresIn: '12h' }, now)).toEqual(new Date('2026-11-30T22:00:00.000Z'));
  });

  it('takes --expires as the start of that day in Europe/Amsterdam, or a date and time', () => {
    expect(tokenExpiry({ expires: '2027-01-01' }, now)).toEqual(new Date('2026-12-31T23:00:00.000Z'));
    expect(tokenExpiry({ expires: '2027-07-01' }, now)).toEqual(new Date('2027-06-30T22:00:00.000Z'));
    expect(tokenExpiry({ expires: '2027-01-01T12:00:00Z' }, now)).toEqual(new Date('2027-01-01T12:00:00.000Z'));
  });

  it.each([
    [{ expiresIn: '90' }, '--expires-in must be a number of days or hours'],
    [{ expiresIn: '0d' }, '--expires-in must be a number of days or hours'],
    [{ expiresIn: '-1d' }, '--expires-in must be a number of days or hours'],
    [{ expiresIn: '3w' }, '--expires-in must be a number of days or hours'],
    [{ expiresIn: '3700d' }, 'at most 10 years'],
    [{ expires: '2027-02-30' }, '--expires must be a real date'],
    [{ expires: '1-1-2027' }, '--expires must be a real date'],
    [{ expires: 'tomorrow' }, '--expires must be a real date'],
    [{ expires: '2026-11-30' }, '--expires must be in the future'],
    [{ expires: '2020-01-01' }, '--expires must be in the future'],
    [{ expires: '2040-01-01' }, 'at most 10 years'],
    [{ expires: '2027-01-01', expiresIn: '90d' }, 'not both'],
  ])('refuses %j', (options, message) => {
    expect(() => tokenExpiry(options, now)).toThrow(message);
  });
});
