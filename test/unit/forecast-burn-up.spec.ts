import { burnUpSvg, escapeXml } from '../../src/forecast/burn-up-chart';
import { forecastReadiness, ForecastInput, StreamProgress } from '../../src/forecast/forecast';
import { addDays } from '../../src/time/calendar';

/** The burn-up chart of a forecast: small, accessible, escaped, without script. */
const today = '2027-04-14';
const input = (streams: StreamProgress[], goLiveDate = '2027-06-01'): ForecastInput => ({
  transitionId: 'rotterdam.feijenoord.2027-06-01', goLiveDate, startedOn: '2026-12-01', today, streams,
});
const daily = (days: number, count: number) => Array.from({ length: days }, (_, i) => ({ date: addDays(today, -i), count }));

describe('the burn-up chart', () => {
  const forecast = forecastReadiness(
    input([
      { stream: 'tasks', total: 12, done: 6, doneByDay: [{ date: addDays(today, -1), count: 6 }] },
      { stream: 'clients', total: 100, done: 30, doneByDay: daily(10, 2) },
      { stream: 'campaign', total: 0, done: 0, doneByDay: [] },
    ]),
  );
  const svg = burnUpSvg(forecast);

  it('is a small image with a Dutch title and description that name the forecast', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="320" height="120" viewBox="0 0 320 120" role="img" aria-labelledby="([^"]+)-titel \1-uitleg"/);
    expect(svg).toContain('<title id="voorspelling-rotterdam-feijenoord-2027-06-01-titel">Voortgang en verwachting tot de start</title>');
    const desc = svg.match(/<desc id="[^"]+">([^<]*)<\/desc>/)![1];
    expect(desc).toContain('Op dit tempo klaar op 21 juli, 7 weken te laat.');
    expect(desc).toContain('Taken: 6 van 12 klaar.');
    expect(desc).toContain('Bewonersinformatie: niets te doen.');
    expect(desc).toContain('Stippellijn: verwachting op dit tempo.');
    expect(svg.length).toBeLessThan(4000);
  });

  it('draws what is done (solid), the projection (dashed) per stream with work, and go-live as a vertical line', () => {
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray="4 3"/g)).toHaveLength(2);
    expect(svg).toContain('>start 1 juni</text>');
    expect(svg).toMatch(/<line x1="([\d.]+)" y1="14" x2="\1" y2="100" stroke="#000"/);
    // Every coordinate is within the picture.
    for (const [, value] of svg.matchAll(/(?:x1|x2|y1|y2|x|y)="(-?[\d.]+)"/g)) {
      expect(Number(value)).toBeGreaterThanOrEqual(0);
      expect(Number(value)).toBeLessThanOrEqual(320);
    }
  });

  it('holds no script, no event handler and no link', () => {
    expect(svg).not.toMatch(/<script|\son\w+=|href=|javascript:/i);
  });

  it('escapes every text it writes', () => {
    expect(escapeXml(`<b a="1">'&'</b>`)).toBe('&lt;b a=&quot;1&quot;&gt;&apos;&amp;&apos;&lt;/b&gt;');
    const odd = burnUpSvg({ ...forecast, transitionId: '"><script>alert(1)</script>' });
    expect(odd).not.toContain('<script');
    expect(odd).toContain('aria-labelledby="voorspelling----script-alert-1---script--titel');
  });

  it('draws a complete stream without projection, a stream without pace flat, and a passed go-live', () => {
    const done = burnUpSvg(forecastReadiness(input([{ stream: 'tasks', total: 4, done: 4, doneByDay: [] }])));
    expect(done).not.toContain('stroke-dasharray');
    expect(done).toContain('Alles is klaar voor de start op 1 juni.');
    const idle = burnUpSvg(forecastReadiness(input([{ stream: 'clients', total: 10, done: 5, doneByDay: [] }])));
    const [, y1, y2] = idle.match(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)" stroke="#275937"/)!;
    expect(y1).toBe(y2);
    const passed = burnUpSvg(forecastReadiness(input([{ stream: 'clients', total: 10, done: 5, doneByDay: daily(3, 1) }], '2027-01-10')));
    expect(passed).not.toContain('start 10 januari'); // before the window: no line
    expect(passed).toContain('De startdatum (10 januari) is voorbij');
  });
});
