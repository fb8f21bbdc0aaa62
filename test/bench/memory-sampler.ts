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
}

/**
 * Samples this process's resident set and V8 heap every `intervalMs` until `stop()`, which
 * returns the range of each (one sample is taken at the start and one at the stop).
 */
export function sampleMemory(intervalMs = 1_000): { stop: () => MemoryReport } {
  const rss: number[] = [];
  const heapUsed: number[] = [];
  const take = () => {
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heapUsed.push(usage.heapUsed);
  };
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
      return { samples: rss.length, rss: range(rss), heapUsed: range(heapUsed) };
    },
  };
}
