import { addDays, daysBetween } from '../time/calendar';
import type { Forecast, StreamForecast, StreamKey } from './forecast';
import { describeForecast, describeStream, dutchDate } from './forecast-wording';

// A small burn-up chart of a forecast as an SVG string: the share done per stream over the window
// (solid), the projection at this pace (dashed), go-live as a vertical line. Pure; no script.

const WIDTH = 320;
const HEIGHT = 120;
const PLOT = { left: 8, right: 312, top: 18, bottom: 100 };

/** Dark enough for text on white (WCAG AA), and told apart by their legend too. */
const COLOURS: Record<StreamKey, string> = { tasks: '#01689b', clients: '#275937', campaign: '#a90061' };
const LEGEND: Record<StreamKey, string> = { tasks: 'Taken', clients: 'Cliënten', campaign: 'Bewoners' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const n = (value: number) => String(Math.round(value * 10) / 10);

export function burnUpSvg(forecast: Forecast): string {
  const { today, goLiveDate } = forecast;
  const start = forecast.windowStart;
  const now = addDays(today, 1);
  // Far projections are cut off a window's length after go-live, so the recent weeks stay readable.
  const latestReady = forecast.streams.map((s) => s.readyDate).filter((d): d is string => d !== null).sort().at(-1);
  const cap = addDays(goLiveDate > now ? goLiveDate : now, forecast.windowDays);
  const end = [now, goLiveDate, latestReady ? minDate(addDays(latestReady, 1), cap) : now].sort().at(-1)!;
  const span = Math.max(1, daysBetween(start, end));
  const x = (date: string) => PLOT.left + (Math.max(0, daysBetween(start, date)) / span) * (PLOT.right - PLOT.left);
  const y = (share: number) => PLOT.bottom - Math.min(1, Math.max(0, share)) * (PLOT.bottom - PLOT.top);

  const id = `voorspelling-${forecast.transitionId.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const title = 'Voortgang en verwachting tot de start';
  const desc = [
    describeForecast(forecast),
    ...forecast.streams.map((stream) => describeStream(stream, today)),
    `Doorgetrokken lijn: deel klaar sinds ${dutchDate(start, today)}. Stippellijn: verwachting op dit tempo. ` +
      `Verticale lijn: de startdatum ${dutchDate(goLiveDate, today)}.`,
  ].join(' ');

  const lines = forecast.streams.filter((stream) => stream.total > 0).map((stream) => streamLines(stream, end, x, y));
  const legend = forecast.streams.map(
    (stream, i) =>
      `<text x="${PLOT.left + i * 70}" y="10" fill="${COLOURS[stream.stream]}">${escapeXml(LEGEND[stream.stream])}</text>`,
  );
  const goLiveX = n(x(goLiveDate));
  const goLiveLine = goLiveDate >= start
    ? `<line x1="${goLiveX}" y1="${PLOT.top - 4}" x2="${goLiveX}" y2="${PLOT.bottom}" stroke="#000" stroke-width="1"/>` +
      `<text x="${goLiveX}" y="${HEIGHT - 6}" text-anchor="${x(goLiveDate) > WIDTH - 60 ? 'end' : 'middle'}">${escapeXml(`start ${dutchDate(goLiveDate, today)}`)}</text>`
    : '';

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `role="img" aria-labelledby="${id}-titel ${id}-uitleg" font-family="sans-serif" font-size="9">` +
    `<title id="${id}-titel">${escapeXml(title)}</title>` +
    `<desc id="${id}-uitleg">${escapeXml(desc)}</desc>` +
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#8a8a8a" stroke-width="0.5"/>` +
    legend.join('') +
    lines.join('') +
    goLiveLine +
    `<text x="${PLOT.left}" y="${HEIGHT - 6}">${escapeXml(dutchDate(start, today))}</text>` +
    '</svg>'
  );
}

function streamLines(
  stream: StreamForecast,
  end: string,
  x: (date: string) => number,
  y: (share: number) => number,
): string {
  const colour = COLOURS[stream.stream];
  const share = (done: number) => done / stream.total;
  const points = stream.series.map((point) => `${n(x(point.date))},${n(y(share(point.done)))}`).join(' ');
  const done = `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`;
  const last = stream.series.at(-1)!;
  if (stream.status === 'complete' || last.date >= end) return done;
  let to: { date: string; share: number };
  if (stream.status === 'on-pace') {
    const readyAt = addDays(stream.readyDate!, 1);
    to = readyAt <= end
      ? { date: readyAt, share: 1 }
      : { date: end, share: share(last.done + stream.pacePerDay * daysBetween(last.date, end)) };
  } else {
    to = { date: end, share: share(last.done) };
  }
  return (
    done +
    `<line x1="${n(x(last.date))}" y1="${n(y(share(last.done)))}" x2="${n(x(to.date))}" y2="${n(y(to.share))}" ` +
    `stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3"/>`
  );
}

const minDate = (a: string, b: string) => (a < b ? a : b);

