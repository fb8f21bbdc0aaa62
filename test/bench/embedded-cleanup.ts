import { startEmbedded } from './bench-server';

/**
 * Starts the bench's embedded PostgreSQL (if it is not running), which drops every bench
 * database in it, and stops it again. The bench runs this in a process of its own after Ctrl-C
 * in a terminal stopped the embedded server along with the bench (they share the terminal's
 * process group), as the embedded server cannot be started twice in one process. By hand:
 * `node -r ts-node/register/transpile-only test/bench/embedded-cleanup.ts`.
 */
async function main(): Promise<void> {
  const embedded = await startEmbedded();
  await embedded.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
