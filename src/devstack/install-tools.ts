import { ensureTool } from './project-tools';

/** `npm run tools:install`: makes sure the Temporal CLI, its test server, Docker Compose and Schemathesis are available. */
async function main(): Promise<void> {
  const cli = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const testServer = await ensureTool('temporal-test-server', { explicit: process.env.TEMPORAL_TEST_SERVER });
  const compose = await ensureTool('docker-compose', { explicit: process.env.DOCKER_COMPOSE });
  const schemathesis = await ensureTool('schemathesis', { explicit: process.env.SCHEMATHESIS });
  console.log(
    `Temporal CLI:         ${cli}\nTemporal test server: ${testServer}\nDocker Compose:       ${compose}\nSchemathesis:         ${schemathesis}`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
