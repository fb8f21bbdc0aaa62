import { ensureTool } from './project-tools';

/** `npm run tools:install`: makes sure the Temporal CLI, its test server and Docker Compose are available. */
async function main(): Promise<void> {
  const cli = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const testServer = await ensureTool('temporal-test-server', { explicit: process.env.TEMPORAL_TEST_SERVER });
  const compose = await ensureTool('docker-compose', { explicit: process.env.DOCKER_COMPOSE });
  console.log(`Temporal CLI:         ${cli}\nTemporal test server: ${testServer}\nDocker Compose:       ${compose}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
