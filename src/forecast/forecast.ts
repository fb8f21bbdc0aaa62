import { addDays, daysBetween } from '../time/calendar';

// The readiness forecast, pure: progress in, a ready date and a verdict out. No clock, no I/O.

/** The pace is measured over this many days up to and including today (a sliding window). */
export const DEFAULT_WINDOW_DAYS = 28;
/** Without any pace, a handover this close to go-live (or closer) counts as late. */
export const NO_PACE_LATE_WITHIN_DAYS = 28;

export type StreamKey = 'tasks' | 'clients' | 'campaign';
export const STREAM_KEYS: readonly StreamKey[] = ['tasks', 'clients', 'campaign'];

/** One stream's progress as read: how much there is, how much is done, and what got done per day of the window. */
export interface StreamProgress {
  stream: StreamKey;
  total: number;
  done: number;
  /** Items done per Europe/Amsterdam day within the window (days without any may be left out). */
  doneByDay: ReadonlyArray<{ date: string; count: number }>;
}

export interface ForecastInput {
  transitionId: string;
  /** YYYY-MM-DD */
  goLiveDate: string;
  /** The day the handover was planned: a younger handover's pace counts from then. */
  startedOn: string;
  today: string;
  windowDays?: number;
  streams: readonly StreamProgress[];
}

export type StreamStatus = 'complete' | 'nothing-to-do' | 'on-pace' | 'no-pace';

export interface StreamForecast {
  stream: StreamKey;
  total: number;
  done: number;
  /** Done when the window began. */
  doneAtWindowStart: number;
  /** Items per day over the window; 0 without progress. */
  pacePerDay: number;
  status: StreamStatus;
  /** The day it reaches 100 % at this pace; null when complete, nothing to do, or no pace. */
  readyDate: string | null;
  /** Done at the end of each day of the window, first the value when it began (at `windowStart`). */
  series: Array<{ date: string; done: number }>;
}

/**
 * - `ready`: every stream is complete or has nothing to do;
 * - `on-time`: at this pace ready before go-live;
 * - `late`: at this pace ready on go-live or after, go-live passed with work left, or no pace with go-live near;
 * - `unknown`: no pace in some stream, go-live still far.
 */
export type ReadinessVerdict = 'ready' | 'on-time' | 'late' | 'unknown';

export interface Forecast {
  transitionId: string;
  today: string;
  goLiveDate: string;
  /** First day of the window the pace is measured over. */
  windowStart: string;
  /** Days in the window (shorter than asked for a handover planned within it). */
  windowDays: number;
  verdict: ReadinessVerdict;
  /** The latest stream's ready date; null when ready already or a stream has no pace. */
  readyDate: string | null;
  /** Days from the ready date to go-live: positive before, 0 or negative late; null without a ready date. */
  daysBeforeGoLive: number | null;
  /** Days from today to go-live (negative once passed). */
  daysToGoLive: number;
  streams: StreamForecast[];
}

const isReady = (status: StreamStatus) => status === 'complete' || status === 'nothing-to-do';

/** Projects each stream linearly at the pace of the window to its 100 % day; the latest of them is the handover's. */
export function forecastReadiness(input: ForecastInput): Forecast {
  const asked = Math.max(1, Math.floor(input.windowDays ?? DEFAULT_WINDOW_DAYS));
  const fullStart = addDays(input.today, -(asked - 1));
  const windowStart = input.startedOn > fullStart && input.startedOn <= input.today ? input.startedOn : fullStart;
  const windowDays = daysBetween(windowStart, input.today) + 1;
  const streams = input.streams.map((stream) => forecastStream(stream, input.today, windowStart, windowDays));

  const daysToGoLive = daysBetween(input.today, input.goLiveDate);
  const base = { transitionId: input.transitionId, today: input.today, goLiveDate: input.goLiveDate, windowStart, windowDays, daysToGoLive, streams };
  if (streams.every((stream) => isReady(stream.status))) {
    return { ...base, verdict: 'ready', readyDate: null, daysBeforeGoLive: null };
  }
  if (streams.some((stream) => stream.status === 'no-pace')) {
    const late = daysToGoLive <= NO_PACE_LATE_WITHIN_DAYS;
    return { ...base, verdict: late ? 'late' : 'unknown', readyDate: null, daysBeforeGoLive: null };
  }
  const readyDate = streams.map((stream) => stream.readyDate).filter((date): date is string => date !== null).sort().at(-1)!;
  const daysBeforeGoLive = daysBetween(readyDate, input.goLiveDate);
  return { ...base, verdict: daysBeforeGoLive > 0 ? 'on-time' : 'late', readyDate, daysBeforeGoLive };
}

function forecastStream(progress: StreamProgress, today: string, windowStart: string, windowDays: number): StreamForecast {
  const total = Math.max(0, progress.total);
  const done = Math.min(Math.max(0, progress.done), total);
  const perDay = new Map<string, number>();
  for (const { date, count } of progress.doneByDay) {
    if (date >= windowStart && date <= today) perDay.set(date, (perDay.get(date) ?? 0) + Math.max(0, count));
  }
  const gained = Math.min(done, [...perDay.values()].reduce((sum, count) => sum + count, 0));
  const doneAtWindowStart = done - gained;

  const series = [{ date: windowStart, done: doneAtWindowStart }];
  let running = doneAtWindowStart;
  for (let day = 0; day < windowDays; day++) {
    const date = addDays(windowStart, day);
    running = Math.min(done, running + (perDay.get(date) ?? 0));
    series.push({ date: addDays(date, 1), done: running });
  }

  const pacePerDay = gained / windowDays;
  const base = { stream: progress.stream, total, done, doneAtWindowStart, pacePerDay, series };
  if (total === 0) return { ...base, status: 'nothing-to-do', readyDate: null };
  if (done >= total) return { ...base, status: 'complete', readyDate: null };
  if (gained === 0) return { ...base, status: 'no-pace', readyDate: null };
  return { ...base, status: 'on-pace', readyDate: addDays(today, Math.ceil((total - done) / pacePerDay)) };
}
