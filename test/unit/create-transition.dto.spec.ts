import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateTransitionDto } from '../../src/transitions/dto/create-transition.dto';
import { amsterdamToday } from '../../src/time/amsterdam';
import { transitionIdOf, TRANSITION_ID_PATTERN } from '../../src/transitions/transition-id';

const valid = {
  municipality: 'rotterdam',
  district: 'feijenoord',
  outgoingProvider: 'welzijn-maas',
  incomingProvider: 'buurtkracht',
  goLiveDate: '2099-06-01',
};

function problems(body: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(CreateTransitionDto, body));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

function daysFromToday(days: number): string {
  const date = new Date(`${amsterdamToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
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
    expect(problems({ ...valid, goLiveDate: '2096-02-29' })).toEqual({});
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

describe('transitionIdOf', () => {
  it('joins municipality, district and go-live into an id the param pattern accepts', () => {
    const id = transitionIdOf(valid);
    expect(id).toBe('rotterdam.feijenoord.2099-06-01');
    expect(id).toMatch(TRANSITION_ID_PATTERN);
  });

  it('keeps ids apart where hyphenated codes could run together', () => {
    expect(transitionIdOf({ municipality: 'den-haag', district: 'centrum', goLiveDate: '2099-01-01' })).not.toBe(
      transitionIdOf({ municipality: 'den', district: 'haag-centrum', goLiveDate: '2099-01-01' }),
    );
  });
});
