import { ensureTemporalBinary } from './temporal-cli';

/** `npm run temporal:install`: makes sure the Temporal CLI and test server are available. */
async function main(): Promise<void> {
  const cli = await ensureTemporalBinary('temporal', { explicit: process.env.TEMPORAL_CLI });
  const testServer = await ensureTemporalBinary('temporal-test-server', { explicit: process.env.TEMPORAL_TEST_SERVER });
  console.log(`Temporal CLI:         ${cli}\nTemporal test server: ${testServer}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
