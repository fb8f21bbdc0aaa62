import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransitionState } from '../../workflows/transition/definitions';
import { readCacheOf, readKey } from '../database/read-cache';
import { amsterdamToday } from '../time/amsterdam';
import { DEFAULT_WINDOW_DAYS, Forecast, forecastReadiness, StreamForecast } from './forecast';
import { readForecastSubjects } from './forecast-reads';
import { describeForecast, describeStream, FORECAST_METHOD } from './forecast-wording';

/** A handover's forecast with its words, as the JSON API and the pages show it. */
export interface TransitionForecast extends Omit<Forecast, 'streams'> {
  municipality: string;
  state: TransitionState;
  /** describeForecast: "Op dit tempo klaar op 12 mei, 20 dagen voor de start." */
  sentence: string;
  method: string;
  streams: Array<StreamForecast & { sentence: string }>;
}

/** Readiness forecasts from the read models (see forecast-reads.ts), one handover or a page of them in the same queries. */
@Injectable()
export class ForecastService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** undefined when there is no such handover. */
  async forTransition(transitionId: string, today: string = amsterdamToday()): Promise<TransitionForecast | undefined> {
    return (await this.forTransitions([transitionId], today)).get(transitionId);
  }

  /** Keyed by transition id; unknown ids are left out. Meant for a page of handovers (tens to a few hundred). */
  async forTransitions(transitionIds: readonly string[], today: string = amsterdamToday()): Promise<Map<string, TransitionForecast>> {
    return readCacheOf(this.dataSource).read(readKey('forecasts', transitionIds, today), () => forecastsOf(this.dataSource, transitionIds, today));
  }
}

/** The service's work without Nest, for the daily readiness check (an activity). */
export async function forecastsOf(dataSource: DataSource, transitionIds: readonly string[], today: string): Promise<Map<string, TransitionForecast>> {
  const subjects = await readForecastSubjects(dataSource, transitionIds, today, DEFAULT_WINDOW_DAYS);
  const forecasts = new Map<string, TransitionForecast>();
  for (const [transitionId, { municipality, state, input }] of subjects) {
    const forecast = forecastReadiness(input);
    forecasts.set(transitionId, {
      ...forecast,
      municipality,
      state,
      sentence: describeForecast(forecast),
      method: FORECAST_METHOD,
      streams: forecast.streams.map((stream) => ({ ...stream, sentence: describeStream(stream, today) })),
    });
  }
  return forecasts;
}
