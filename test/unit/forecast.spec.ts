import { forecastReadiness, ForecastInput, StreamProgress } from '../../src/forecast/forecast';
import { describeForecast, describeStream, dutchDate, FORECAST_METHOD } from '../../src/forecast/forecast-wording';
import { addDays } from '../../src/time/calendar';

/**
 * The readiness forecast as given / when / then, without any server: given the progress of the
 * streams, when forecast on a day, then this ready date, verdict and sentence.
 */
const goLiveDate = '2027-06-01';

/** `count` items done on each of the given days before `today` (1 = yesterday). */
function stream(kind: StreamProgress['stream'], total: number, done: number, daysAgo: Record<number, number>, today: string): StreamProgress {
  return { stream: kind, total, done, doneByDay: Object.entries(daysAgo).map(([ago, count]) => ({ date: addDays(today, -Number(ago)), count })) };
}

function given(today: string, ...streams: StreamProgress[]) {
  const input: ForecastInput = { transitionId: 'rotterdam.feijenoord.2027-06-01', goLiveDate, startedOn: '2026-12-01', today, streams };
  return {
    when: (overrides: Partial<ForecastInput> = {}) => {
      const forecast = forecastReadiness({ ...input, ...overrides });
      return { forecast, sentence: describeForecast(forecast) };
    },
  };
}

const nothing = (kind: StreamProgress['stream']): StreamProgress => ({ stream: kind, total: 0, done: 0, doneByDay: [] });

describe('the readiness forecast', () => {
  it('projects the pace of the last 4 weeks to a ready date before go-live', () => {
    // 6 of 12 tasks done, all 6 in the last 4 weeks: 6 left at 6 per 28 days takes 28 days.
    const today = '2027-04-14';
    const { forecast, sentence } = given(today, stream('tasks', 12, 6, { 1: 2, 10: 2, 20: 2 }, today), nothing('clients'), nothing('campaign')).when();
    expect(forecast).toMatchObject({ verdict: 'on-time', readyDate: '2027-05-12', daysBeforeGoLive: 20, windowDays: 28, windowStart: '2027-03-18' });
    expect(forecast.streams[0]).toMatchObject({ status: 'on-pace', doneAtWindowStart: 0, pacePerDay: 6 / 28, readyDate: '2027-05-12' });
    expect(sentence).toBe('Op dit tempo klaar op 12 mei, 20 dagen voor de start.');
  });

  it('takes the latest stream as the handover’s ready date, and says how late in weeks', () => {
    const today = '2027-04-14';
    const { forecast, sentence } = given(
      today,
      stream('tasks', 12, 6, { 1: 6 }, today), // ready 12 May
      stream('clients', 100, 30, { 3: 10, 4: 10 }, today), // 70 left at 20 per 28 days: 98 days
      nothing('campaign'),
    ).when();
    expect(forecast.streams.map((s) => s.readyDate)).toEqual(['2027-05-12', '2027-07-21', null]);
    expect(forecast).toMatchObject({ verdict: 'late', readyDate: '2027-07-21', daysBeforeGoLive: -50 });
    expect(sentence).toBe('Op dit tempo klaar op 21 juli, 7 weken te laat.');
  });

  it('says how late in days up to two weeks, and counts ready on go-live itself as late', () => {
    const today = '2027-05-04';
    // 1 a day: 8 left is ready on 12 May, 28 left on 1 June, 33 left on 6 June.
    const early = given(today, stream('tasks', 40, 32, Object.fromEntries(Array.from({ length: 28 }, (_, i) => [i, 1])), today)).when();
    expect(early.forecast).toMatchObject({ readyDate: '2027-05-12', verdict: 'on-time' });
    const onTheDay = given(today, stream('tasks', 56, 28, Object.fromEntries(Array.from({ length: 28 }, (_, i) => [i, 1])), today)).when();
    expect(onTheDay.forecast).toMatchObject({ readyDate: '2027-06-01', daysBeforeGoLive: 0, verdict: 'late' });
    expect(onTheDay.sentence).toBe('Op dit tempo klaar op 1 juni, op de dag van de start. Dat is te laat.');
    const fewDays = given(today, stream('tasks', 61, 28, Object.fromEntries(Array.from({ length: 28 }, (_, i) => [i, 1])), today)).when();
    expect(fewDays.sentence).toBe('Op dit tempo klaar op 6 juni, 5 dagen te laat.');
  });

  it('counts streams that are complete or have nothing to do as ready', () => {
    const today = '2027-04-14';
    const { forecast, sentence } = given(today, stream('tasks', 12, 12, {}, today), nothing('clients'), stream('campaign', 500, 500, { 2: 500 }, today)).when();
    expect(forecast).toMatchObject({ verdict: 'ready', readyDate: null, daysBeforeGoLive: null });
    expect(forecast.streams.map((s) => s.status)).toEqual(['complete', 'nothing-to-do', 'complete']);
    expect(sentence).toBe('Alles is klaar voor de start op 1 juni.');
  });

  it('gives no ready date without progress in the window: unknown while go-live is far, late when it is near', () => {
    const far = given('2027-03-01', stream('tasks', 12, 4, { 40: 4 }, '2027-03-01'), stream('clients', 10, 2, { 2: 2 }, '2027-03-01')).when();
    expect(far.forecast).toMatchObject({ verdict: 'unknown', readyDate: null });
    expect(far.forecast.streams[0]).toMatchObject({ status: 'no-pace', doneAtWindowStart: 4, pacePerDay: 0 });
    expect(far.sentence).toBe('Geen tempo: klaar-datum onbekend. De laatste 4 weken is niets afgerond bij: taken.');

    const near = given('2027-05-22', stream('tasks', 12, 4, {}, '2027-05-22')).when();
    expect(near.forecast).toMatchObject({ verdict: 'late', readyDate: null, daysToGoLive: 10 });
    expect(near.sentence).toBe('Geen tempo: klaar-datum onbekend. De laatste 4 weken is niets afgerond bij: taken. De start is al over 10 dagen.');
  });

  it('is late once go-live has passed with work left, and ready when all is done', () => {
    const today = '2027-06-10';
    const passed = given(today, stream('clients', 10, 8, { 1: 4 }, today)).when();
    expect(passed.forecast).toMatchObject({ verdict: 'late', daysToGoLive: -9, readyDate: '2027-06-24' });
    expect(passed.sentence).toBe('De startdatum (1 juni) is voorbij en nog niet alles is klaar. Op dit tempo klaar op 24 juni.');
    const idle = given(today, stream('clients', 10, 8, {}, today)).when();
    expect(idle.forecast.verdict).toBe('late');
    expect(idle.sentence).toBe('De startdatum (1 juni) is voorbij en nog niet alles is klaar. Geen tempo: klaar-datum onbekend. De laatste 4 weken is niets afgerond bij: cliënten.');
    const done = given(today, stream('clients', 10, 10, {}, today)).when();
    expect(done.sentence).toBe('Alles is klaar.');
  });

  it('measures a handover younger than the window from its first day', () => {
    const today = '2027-02-10';
    const { forecast, sentence } = given(today, stream('tasks', 12, 2, { 0: 1, 5: 1 }, today)).when({ startedOn: '2027-02-01' });
    expect(forecast).toMatchObject({ windowStart: '2027-02-01', windowDays: 10 });
    expect(forecast.streams[0].pacePerDay).toBeCloseTo(0.2);
    expect(forecast.readyDate).toBe('2027-04-01'); // 10 left at 2 per 10 days
    expect(sentence).toBe('Op dit tempo klaar op 1 april, 61 dagen voor de start.');
    const idle = given(today, stream('tasks', 12, 0, {}, today)).when({ startedOn: '2027-02-01', goLiveDate: '2027-02-20' });
    expect(idle.sentence).toBe('Geen tempo: klaar-datum onbekend. De laatste 10 dagen is niets afgerond bij: taken. De start is al over 10 dagen.');
  });

  it('ignores days outside the window and never counts more done than there is', () => {
    const today = '2027-04-14';
    const { forecast } = given(today, stream('tasks', 12, 6, { 28: 3, 30: 3, 1: 50 }, today)).when();
    expect(forecast.streams[0]).toMatchObject({ doneAtWindowStart: 0, pacePerDay: 6 / 28 });
    const series = forecast.streams[0].series;
    expect(series).toHaveLength(29);
    expect(series[0]).toEqual({ date: '2027-03-18', done: 0 });
    expect(series.at(-1)).toEqual({ date: '2027-04-15', done: 6 });
  });

  it('gives the year in dates of another year than today’s', () => {
    const today = '2026-12-01';
    const { forecast, sentence } = given(today, stream('tasks', 100, 1, { 1: 1 }, today)).when({ startedOn: '2026-01-05' });
    expect(forecast.readyDate).toBe(addDays(today, 99 * 28));
    expect(sentence).toBe(`Op dit tempo klaar op ${dutchDate(forecast.readyDate!, today)}, ${Math.round(-forecast.daysBeforeGoLive! / 7)} weken te laat.`);
    expect(dutchDate('2034-06-07', today)).toBe('7 juni 2034');
    expect(dutchDate('2026-12-24', today)).toBe('24 december');
  });

  it('puts each stream in a sentence', () => {
    const today = '2027-04-14';
    const { forecast } = given(
      today, stream('tasks', 12, 6, { 1: 6 }, today), stream('clients', 10, 10, {}, today), stream('campaign', 900, 300, {}, today),
    ).when();
    expect(forecast.streams.map((s) => describeStream(s, today))).toEqual([
      'Taken: 6 van 12 klaar. Tempo: 1,5 per week. Klaar op 12 mei.',
      'Cliënten: alle 10 klaar.',
      'Bewonersinformatie: 300 van 900 klaar. Geen tempo: de laatste weken is niets afgerond.',
    ]);
    expect(describeStream({ ...forecast.streams[0], stream: 'campaign', total: 0, done: 0, status: 'nothing-to-do' }, today)).toBe('Bewonersinformatie: niets te doen.');
  });

  it('describes its method in Dutch', () => {
    expect(FORECAST_METHOD).toContain('laatste 4 weken');
    expect(FORECAST_METHOD).toContain('startdatum');
  });
});
