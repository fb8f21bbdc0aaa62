import { DEFAULT_WINDOW_DAYS, Forecast, NO_PACE_LATE_WITHIN_DAYS, StreamForecast, StreamKey } from './forecast';

// The forecast in plain Dutch (B1), for the pages and the JSON API alike. Pure.

/** How the forecast is made, for the page to show beside it. */
export const FORECAST_METHOD =
  `Zo maken we de voorspelling. We kijken naar drie onderdelen: de taken die vóór de startdatum klaar moeten zijn, ` +
  `de warme overdracht van cliënten, en de berichten aan bewoners. Per onderdeel tellen we hoeveel er de laatste ` +
  `${DEFAULT_WINDOW_DAYS / 7} weken is afgerond. Dat is het tempo. Is de overdracht jonger, dan tellen we vanaf de eerste dag. ` +
  `We gaan ervan uit dat het werk in dat tempo doorgaat. Zo rekenen we uit op welke dag elk onderdeel helemaal klaar is. ` +
  `De laatste van die dagen is de klaar-datum van de overdracht. Die vergelijken we met de startdatum. ` +
  `Een onderdeel dat al klaar is, of waar niets te doen is, telt als klaar. ` +
  `Is er bij een onderdeel de laatste ${DEFAULT_WINDOW_DAYS / 7} weken niets afgerond, dan is de klaar-datum onbekend. ` +
  `Is de start dan ${NO_PACE_LATE_WITHIN_DAYS} dagen of minder weg, dan telt de overdracht als te laat. ` +
  `Het is een schatting: een ander tempo geeft een andere datum.`;

export const STREAM_NAMES: Record<StreamKey, string> = {
  tasks: 'Taken',
  clients: 'Cliënten',
  campaign: 'Bewonersinformatie',
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** "12 mei", with the year when it is not the year of `today`: "12 mei 2028". */
export function dutchDate(date: string, today: string): string {
  const day = Number(date.slice(8, 10));
  const month = MONTHS[Number(date.slice(5, 7)) - 1];
  return date.slice(0, 4) === today.slice(0, 4) ? `${day} ${month}` : `${day} ${month} ${Number(date.slice(0, 4))}`;
}

const days = (n: number) => (n === 1 ? '1 dag' : `${n} dagen`);
/** Up to two weeks in days, beyond that in (rounded) weeks. */
const lateness = (n: number) => (n < 14 ? days(n) : `${Math.round(n / 7)} weken`);

/** "1,5": one decimal, Dutch comma, no trailing ",0". */
function decimal(n: number): string {
  const rounded = n >= 10 ? Math.round(n) : Math.round(n * 10) / 10;
  return String(rounded).replace('.', ',');
}

/** The handover's forecast in one or two sentences. */
export function describeForecast(forecast: Forecast): string {
  const { today, goLiveDate, daysToGoLive } = forecast;
  const goLive = dutchDate(goLiveDate, today);
  if (forecast.verdict === 'ready') {
    return daysToGoLive > 0 ? `Alles is klaar voor de start op ${goLive}.` : 'Alles is klaar.';
  }
  const passed = daysToGoLive < 0 ? `De startdatum (${goLive}) is voorbij en nog niet alles is klaar. ` : '';
  if (forecast.readyDate === null) {
    const idle = forecast.streams.filter((stream) => stream.status === 'no-pace').map((stream) => STREAM_NAMES[stream.stream].toLowerCase());
    const period = forecast.windowDays % 7 === 0 && forecast.windowDays > 7 ? `${forecast.windowDays / 7} weken` : days(forecast.windowDays);
    const near =
      passed === '' && forecast.verdict === 'late'
        ? daysToGoLive === 0 ? ' De start is vandaag.' : ` De start is al over ${days(daysToGoLive)}.`
        : '';
    return `${passed}Geen tempo: klaar-datum onbekend. De laatste ${period} is niets afgerond bij: ${idle.join(', ')}.${near}`;
  }
  const ready = `Op dit tempo klaar op ${dutchDate(forecast.readyDate, today)}`;
  const margin = forecast.daysBeforeGoLive!;
  if (passed) return `${passed}${ready}.`;
  if (margin > 0) return `${ready}, ${days(margin)} voor de start.`;
  if (margin === 0) return `${ready}, op de dag van de start. Dat is te laat.`;
  return `${ready}, ${lateness(-margin)} te laat.`;
}

/** One stream in a sentence: "Taken: 8 van 12 klaar. Tempo: 1,5 per week. Klaar op 12 mei." */
export function describeStream(stream: StreamForecast, today: string): string {
  const name = STREAM_NAMES[stream.stream];
  switch (stream.status) {
    case 'nothing-to-do':
      return `${name}: niets te doen.`;
    case 'complete':
      return `${name}: alle ${stream.total} klaar.`;
    case 'no-pace':
      return `${name}: ${stream.done} van ${stream.total} klaar. Geen tempo: de laatste weken is niets afgerond.`;
    case 'on-pace':
      return (
        `${name}: ${stream.done} van ${stream.total} klaar. Tempo: ${decimal(stream.pacePerDay * 7)} per week. ` +
        `Klaar op ${dutchDate(stream.readyDate!, today)}.`
      );
  }
}

/** The forecast in a few words, for a row of a list: "klaar 12 mei, 20 dagen voor de start", "klaar 3 juni, 3 weken te laat". */
export function briefForecast(forecast: Pick<Forecast, 'verdict' | 'readyDate' | 'daysBeforeGoLive' | 'daysToGoLive' | 'today'>): string {
  if (forecast.verdict === 'ready') return 'alles klaar';
  const passed = forecast.daysToGoLive < 0;
  if (forecast.readyDate === null) {
    if (passed) return 'start voorbij, klaar-datum onbekend';
    return forecast.verdict === 'late' ? 'geen tempo: klaar-datum onbekend, te laat' : 'geen tempo: klaar-datum onbekend';
  }
  const ready = `klaar ${dutchDate(forecast.readyDate, forecast.today)}`;
  const margin = forecast.daysBeforeGoLive!;
  if (passed) return `start voorbij, ${ready}`;
  if (margin > 0) return `${ready}, ${days(margin)} voor de start`;
  if (margin === 0) return `${ready}, op de dag van de start: te laat`;
  return `${ready}, ${lateness(-margin)} te laat`;
}
