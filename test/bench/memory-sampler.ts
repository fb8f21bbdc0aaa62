import { loadavg } from 'node:os';

/** Min, max and last of a series of samples (bytes). */
export interface Range {
  min: number;
  max: number;
  last: number;
}

export interface MemoryReport {
  samples: number;
  rss: Range;
  heapUsed: Range;
  /** CPU time this process used meanwhile (all its threads: JS, the Temporal core, libuv), ms. */
  cpuMs: number;
  /** The machine's one-minute load average. */
  load: Range;
}

/**
 * Samples this process's resident set and V8 heap every `intervalMs` until `stop()`, which
 * returns the range of each (one sample is taken at the start and one at the stop) and the CPU
 * time used in between.
 */
export function sampleMemory(intervalMs = 1_000): { stop: () => MemoryReport } {
  const rss: number[] = [];
  const heapUsed: number[] = [];
  const load: number[] = [];
  const take = () => {
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heapUsed.push(usage.heapUsed);
    load.push(loadavg()[0]);
  };
  const cpuAtStart = process.cpuUsage();
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  const range = (values: number[]): Range => ({
    min: Math.min(...values),
    max: Math.max(...values),
    last: values[values.length - 1],
  });
  return {
    stop: () => {
      clearInterval(timer);
      take();
      const cpu = process.cpuUsage(cpuAtStart);
      return { samples: rss.length, rss: range(rss), heapUsed: range(heapUsed), cpuMs: (cpu.user + cpu.system) / 1000, load: range(load) };
    },
  };
}
