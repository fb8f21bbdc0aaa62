import autocannon from 'autocannon';
import { percentile } from './latency';

/** What the bench asks of the load generator: one target, for one run. */
export interface LoadRequest {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

/** What it answers: the latencies' percentiles (ms), answers and bytes, and the failures (non-2xx, errors, timeouts). */
export interface LoadResult {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  failures: number;
}

/**
 * The web bench's load generator (autocannon), in a process of its own, started with
 * `child_process.fork`: the app under load never shares its event loop with the clients that
 * load it. Takes one LoadRequest per message and answers a LoadResult (or `{ error }`); every
 * answer's latency is kept, as autocannon reports no p95. Ends when the bench goes away.
 */
process.on('message', (request: LoadRequest) => {
  load(request).then(
    (result) => process.send!({ result }),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

function load({ url, connections, seconds, headers }: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers }, (error, result) => {
      if (error) return reject(error);
      latencies.sort((a, b) => a - b);
      resolve({
        requests: latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        bytes: result.throughput.total,
        failures: failures + result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299) failures += 1;
    });
  });
}
