// Loaded into the service process by `npm run bench:soak` (NODE_OPTIONS=--require ...): writes
// the memory of the thread it runs in, one JSON line, to SOAK_MEMORY_FILE every
// SOAK_MEMORY_INTERVAL_MS. NODE_OPTIONS reaches worker threads too, so the Temporal worker's
// workflow threads (where cached workflows live) report their heaps as well; RSS is the whole
// process's. Plain JavaScript, so that it loads before ts-node. Not part of the service.
const { appendFileSync } = require('node:fs');
const { threadId } = require('node:worker_threads');

const file = process.env.SOAK_MEMORY_FILE;
if (file) {
  const write = () => {
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), thread: threadId, rss, heapUsed, heapTotal })}\n`);
  };
  write();
  setInterval(write, Number(process.env.SOAK_MEMORY_INTERVAL_MS || 2000)).unref();
}
