import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateTransitionDto } from '../../src/transitions/dto/create-transition.dto';
import { amsterdamToday } from '../../src/time/amsterdam';
import { latestGoLiveDate, MAX_GO_LIVE_YEARS_AHEAD } from '../../src/transitions/dto/transition-validators';
import { transitionIdOf, TRANSITION_ID_PATTERN } from '../../src/transitions/transition-id';

const valid = {
  municipality: 'rotterdam',
  district: 'feijenoord',
  outgoingProvider: 'welzijn-maas',
  incomingProvider: 'buurtkracht',
  goLiveDate: daysFromToday(365),
};

function problems(body: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(CreateTransitionDto, body));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

function daysAfter(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function daysFromToday(days: number): string {
  return daysAfter(amsterdamToday(), days);
}

describe('CreateTransitionDto', () => {
  it('accepts a complete, valid handover', () => {
    expect(problems(valid)).toEqual({});
  });

  it('accepts tomorrow as go-live', () => {
    expect(problems({ ...valid, goLiveDate: daysFromToday(1) })).toEqual({});
  });

  it.each(['2099-02-29', '2099-13-01', '2099-04-31', '2099-6-1', '01-06-2099', 'soon', ''])(
    'rejects the go-live date %p',
    (goLiveDate) => {
      expect(problems({ ...valid, goLiveDate })).toHaveProperty('goLiveDate');
    },
  );

  it('accepts 29 February in a leap year', () => {
    const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    let year = Number(amsterdamToday().slice(0, 4)) + 1;
    while (!isLeap(year)) year++;
    expect(problems({ ...valid, goLiveDate: `${year}-02-29` })).toEqual({});
  });

  it(`accepts a go-live exactly ${MAX_GO_LIVE_YEARS_AHEAD} years ahead`, () => {
    const latest = latestGoLiveDate();
    expect(latest.slice(0, 4)).toBe(String(Number(amsterdamToday().slice(0, 4)) + MAX_GO_LIVE_YEARS_AHEAD));
    expect(problems({ ...valid, goLiveDate: latest })).toEqual({});
  });

  it.each([
    ['a day more than 10 years ahead', () => daysAfter(latestGoLiveDate(), 1)],
    ['11 years ahead', () => daysAfter(latestGoLiveDate(), 365)],
    ['the year 9999', () => '9999-12-22'],
  ])('rejects a go-live %s, naming the field and the rule', (_case, goLiveDate) => {
    expect(problems({ ...valid, goLiveDate: goLiveDate() }).goLiveDate).toEqual([
      `goLiveDate must be at most 10 years after today (on or before ${latestGoLiveDate()}, Europe/Amsterdam)`,
    ]);
  });

  it.each([0, -1, -3650])('rejects a go-live %p days from today', (days) => {
    expect(problems({ ...valid, goLiveDate: daysFromToday(days) }).goLiveDate).toEqual([
      expect.stringMatching(/goLiveDate must be after today/),
    ]);
  });

  it('rejects the same provider as outgoing and incoming', () => {
    expect(problems({ ...valid, incomingProvider: 'welzijn-maas' })).toEqual({
      incomingProvider: ['incomingProvider must differ from outgoingProvider'],
    });
  });

  it.each(['municipality', 'district', 'outgoingProvider', 'incomingProvider', 'goLiveDate'])(
    'names the missing field %s',
    (field) => {
      const body: Record<string, unknown> = { ...valid };
      delete body[field];
      expect(Object.keys(problems(body))).toContain(field);
    },
  );

  it.each(['Rotterdam', 'den haag', 'a.b', '-x', 'x--y'])('rejects the code %p', (code) => {
    expect(problems({ ...valid, district: code })).toHaveProperty('district');
  });
});

describe('latestGoLiveDate', () => {
  it.each([
    ['2026-11-30', '2036-11-30'],
    ['2028-02-29', '2038-02-28'],
    ['2031-12-31', '2041-12-31'],
  ])('on %s is %s', (today, latest) => {
    expect(latestGoLiveDate(today)).toBe(latest);
  });
});

describe('transitionIdOf', () => {
  it('joins municipality, district and go-live into an id the param pattern accepts', () => {
    const id = transitionIdOf({ ...valid, goLiveDate: '2099-06-01' });
    expect(id).toBe('rotterdam.feijenoord.2099-06-01');
    expect(id).toMatch(TRANSITION_ID_PATTERN);
  });

  it('keeps ids apart where hyphenated codes could run together', () => {
    expect(transitionIdOf({ municipality: 'den-haag', district: 'centrum', goLiveDate: '2099-01-01' })).not.toBe(
      transitionIdOf({ municipality: 'den', district: 'haag-centrum', goLiveDate: '2099-01-01' }),
    );
  });
});
