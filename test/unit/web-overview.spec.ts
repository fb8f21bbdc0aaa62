import { overviewFilters } from '../../src/web/pages/overview/overview-filters';
import { byTimeToAct, countdownText, daysToAct, daysUntil, Sortable } from '../../src/web/pages/overview/time-to-act';
import { dutchDate } from '../../src/web/dutch-labels';

describe('the overview: countdown, least time to act, filters', () => {
  it('counts calendar days to a date, across a change to summer time', () => {
    expect(daysUntil('2022-03-01', '2022-06-01')).toBe(92);
    expect(daysUntil('2022-03-26', '2022-03-28')).toBe(2);
    expect(daysUntil('2022-06-01', '2022-05-30')).toBe(-2);
  });

  it('says the countdown in Dutch', () => {
    expect([12, 1, 0, -1, -3].map(countdownText)).toEqual(['over 12 dagen', 'morgen', 'vandaag', 'gisteren', '3 dagen geleden']);
    expect(dutchDate('2022-06-01')).toBe('1 juni 2022');
  });

  it('takes the nearer of go-live and the first open due date; nothing once at rest', () => {
    expect(daysToAct({ state: 'preparing', goLiveDate: '2022-06-01', nextDueDate: '2022-03-10' }, '2022-03-01')).toBe(9);
    expect(daysToAct({ state: 'preparing', goLiveDate: '2022-06-01', nextDueDate: '2022-02-20' }, '2022-03-01')).toBe(-9);
    expect(daysToAct({ state: 'ready', goLiveDate: '2022-06-01', nextDueDate: null }, '2022-05-30')).toBe(2);
    expect(daysToAct({ state: 'live', goLiveDate: '2022-06-01', nextDueDate: '2022-08-30' }, '2022-06-02')).toBeNull();
    expect(daysToAct({ state: 'cancelled', goLiveDate: '2022-06-01', nextDueDate: '2022-04-01' }, '2022-03-01')).toBeNull();
  });

  it('sorts least time to act first, at risk first on a tie, handovers at rest last', () => {
    const row = (transitionId: string, daysToAct: number | null, atRisk = false, goLiveDate = '2022-06-01'): Sortable => ({ transitionId, daysToAct, atRisk, goLiveDate });
    const rows = [row('closed', null, false, '2021-01-01'), row('later', 30), row('overdue', -3), row('tie-calm', 5), row('tie-risk', 5, true)];
    expect(rows.sort(byTimeToAct).map((r) => r.transitionId)).toEqual(['overdue', 'tie-risk', 'tie-calm', 'later', 'closed']);
  });

  it('reads the filters of the URL, leaving out what the form would not send', () => {
    expect(overviewFilters({ status: 'preparing', risico: 'ja', aanbieder: 'samen-sterk' })).toEqual({ state: 'preparing', atRisk: true, provider: 'samen-sterk' });
    expect(overviewFilters({ risico: 'nee' })).toEqual({ atRisk: false });
    expect(overviewFilters({ status: 'sleeping', risico: 'misschien', aanbieder: 'Robert; DROP TABLE' })).toEqual({});
    expect(overviewFilters({ status: ['planned', 'live'], aanbieder: '' })).toEqual({});
  });
});
