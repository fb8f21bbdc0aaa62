/**
 * The service's worker (src/worker.ts, exactly as `npm run worker` runs it) for benchmarks, with
 * its own memory reported to the parent over the IPC channel of `child_process.fork` every second:
 * `{ type: 'memory', at, rss, heapUsed, heapTotal, external }`; started with --expose-gc, every
 * 15 s also the heap right after a full collection (`live`): what it really holds, garbage aside.
 */
const report = () => {
  if (!process.connected) return;
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  process.send!({ type: 'memory', at: Date.now(), rss, heapUsed, heapTotal, external });
};
setInterval(report, 1_000).unref();
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  setInterval(() => {
    if (!process.connected) return;
    gc();
    process.send!({ type: 'live', at: Date.now(), heapUsed: process.memoryUsage().heapUsed });
  }, 15_000).unref();
}
// The parent gone (the bench killed): no worker is left behind.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

require('../../src/worker');
