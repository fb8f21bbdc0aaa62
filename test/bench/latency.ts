/** Nearest-rank percentile of `values` (ms). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values: number[]) => percentile(values, 50);

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await operation();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export interface Sequential {
  /** Latency of each measured call, ms. */
  latencies: number[];
  p50: number;
  p95: number;
}

/**
 * Calls `operation(i)` for i = 0 .. warmup + iterations - 1, one after the other; the first
 * `warmup` calls are not measured. `check` runs before each call (to stop on a signal).
 */
export async function sequential(
  warmup: number,
  iterations: number,
  operation: (i: number) => Promise<unknown>,
  check: () => void,
): Promise<Sequential> {
  const latencies: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    check();
    const ms = await timed(() => operation(i));
    if (i >= warmup) latencies.push(ms);
  }
  return { latencies, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

export interface Concurrent {
  /** Commands per second over the whole run (first start to last finish). */
  perSecond: number;
  /** Latency of each call under this load, ms. */
  latencies: number[];
}

/**
 * `clients` concurrent clients; client c calls `operation(c, j)` for j = 0 .. perClient - 1, one
 * after the other. Throughput is all calls over the wall time of the whole run.
 */
export async function concurrent(
  clients: number,
  perClient: number,
  operation: (client: number, j: number) => Promise<unknown>,
  check: () => void,
): Promise<Concurrent> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let j = 0; j < perClient; j++) {
        check();
        latencies.push(await timed(() => operation(client, j)));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: (clients * perClient) / seconds, latencies };
}

/**
 * Calls `operation` on every item, at most `limit` at once, each next item as soon as one
 * finishes; resolves when all are done (rejects on the first failure, after `check` or an
 * operation throws; items not begun are then left).
 */
export async function eachInFlight<T>(
  items: readonly T[],
  limit: number,
  operation: (item: T, index: number) => Promise<unknown>,
  check: () => void = () => undefined,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      check();
      try {
        await operation(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** `items` in consecutive slices of `size`. */
export const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
