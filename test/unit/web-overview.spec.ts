import { briefForecast } from '../../src/forecast/forecast-wording';
import { BadRequestException } from '@nestjs/common';
import { countdownText, daysUntil } from '../../src/web/pages/overview/countdown';
import { overviewFilters, overviewLink, overviewSort } from '../../src/web/pages/overview/overview-filters';
import { cursorParam, pageLink, pageSizeParam } from '../../src/web/page-links';
import { dutchDate } from '../../src/web/dutch-labels';

describe('the overview: countdown, filters, pages, forecast in brief', () => {
  it('counts calendar days to a date, across a change to summer time', () => {
    expect(daysUntil('2022-03-01', '2022-06-01')).toBe(92);
    expect(daysUntil('2022-03-26', '2022-03-28')).toBe(2);
    expect(daysUntil('2022-06-01', '2022-05-30')).toBe(-2);
  });

  it('says the countdown in Dutch', () => {
    expect([12, 1, 0, -1, -3].map(countdownText)).toEqual(['over 12 dagen', 'morgen', 'vandaag', 'gisteren', '3 dagen geleden']);
    expect(dutchDate('2022-06-01')).toBe('1 juni 2022');
  });

  it('reads the filters of the URL, leaving out what the form would not send', () => {
    expect(overviewFilters({ status: 'preparing', risico: 'ja', aanbieder: 'samen-sterk' })).toEqual({ state: 'preparing', atRisk: true, provider: 'samen-sterk' });
    expect(overviewFilters({ risico: 'nee' })).toEqual({ atRisk: false });
    expect(overviewFilters({ status: 'sleeping', risico: 'misschien', aanbieder: 'Robert; DROP TABLE' })).toEqual({});
    expect(overviewFilters({ status: ['planned', 'live'], aanbieder: '' })).toEqual({});
  });

  it('sorts by least time to act unless the URL asks for go-live', () => {
    expect(overviewSort({})).toBe('time-to-act');
    expect(overviewSort({ sortering: 'start' })).toBe('go-live');
    expect(overviewSort({ sortering: ['start'] })).toBe('time-to-act');
    expect(overviewSort({ sortering: 'naam' })).toBe('time-to-act');
  });

  it('links a page with its filters, order and size, the cursor last; the first page without one', () => {
    const view = { filters: { state: 'preparing' as const, atRisk: false, provider: 'buurtkracht' }, sort: 'go-live' as const, pageSize: 20 };
    expect(overviewLink(view, 'abc_-1')).toBe('/?status=preparing&risico=nee&aanbieder=buurtkracht&sortering=start&aantal=20&na=abc_-1');
    expect(overviewLink(view)).toBe('/?status=preparing&risico=nee&aanbieder=buurtkracht&sortering=start&aantal=20');
    expect(overviewLink({ filters: {}, sort: 'time-to-act' })).toBe('/');
    expect(pageLink('/taken', { taken: 'a b&c', meldingen: undefined, aantal: '' })).toBe('/taken?taken=a+b%26c');
  });

  it('reads a cursor and a page size from the URL strictly enough', () => {
    expect(cursorParam({}, 'na')).toBeUndefined();
    expect(cursorParam({ na: 'WyJ4Il0' }, 'na')).toBe('WyJ4Il0');
    expect(() => cursorParam({ na: ['a', 'b'] }, 'na')).toThrow(BadRequestException);
    expect(() => cursorParam({ na: '' }, 'na')).toThrow(BadRequestException);
    expect(pageSizeParam({ aantal: '20' })).toBe(20);
    expect([{ aantal: '0' }, { aantal: '201' }, { aantal: '2.5' }, { aantal: ['2'] }, {}].map((query) => pageSizeParam(query))).toEqual([
      undefined, undefined, undefined, undefined, undefined,
    ]);
  });

  it('puts the forecast in a few words for a row', () => {
    const base = { today: '2027-03-01', daysToGoLive: 60 };
    expect(briefForecast({ ...base, verdict: 'on-time', readyDate: '2027-05-12', daysBeforeGoLive: 20 })).toBe('klaar 12 mei, 20 dagen voor de start');
    expect(briefForecast({ ...base, verdict: 'late', readyDate: '2027-06-22', daysBeforeGoLive: -21 })).toBe('klaar 22 juni, 3 weken te laat');
    expect(briefForecast({ ...base, verdict: 'late', readyDate: '2027-05-01', daysBeforeGoLive: 0 })).toBe('klaar 1 mei, op de dag van de start: te laat');
    expect(briefForecast({ ...base, verdict: 'late', readyDate: '2028-01-05', daysBeforeGoLive: -5 })).toBe('klaar 5 januari 2028, 5 dagen te laat');
    expect(briefForecast({ ...base, verdict: 'ready', readyDate: null, daysBeforeGoLive: null })).toBe('alles klaar');
    expect(briefForecast({ ...base, verdict: 'unknown', readyDate: null, daysBeforeGoLive: null })).toBe('geen tempo: klaar-datum onbekend');
    expect(briefForecast({ ...base, daysToGoLive: 10, verdict: 'late', readyDate: null, daysBeforeGoLive: null })).toBe('geen tempo: klaar-datum onbekend, te laat');
    expect(briefForecast({ ...base, daysToGoLive: -2, verdict: 'late', readyDate: '2027-03-09', daysBeforeGoLive: -10 })).toBe('start voorbij, klaar 9 maart');
  });
});
