import { ensureTool } from './project-tools';
import { ensureSystemPackage } from './system-packages';

/**
 * `npm run tools:install`: makes sure the Temporal CLI, its test server, Docker Compose and
 * Schemathesis are available, poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts) for the
 * letter tests and chromium for the browser tests: installed with apt-get when running as root,
 * else the package to install is printed.
 */
async function main(): Promise<void> {
  const cli = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const testServer = await ensureTool('temporal-test-server', { explicit: process.env.TEMPORAL_TEST_SERVER });
  const compose = await ensureTool('docker-compose', { explicit: process.env.DOCKER_COMPOSE });
  const schemathesis = await ensureTool('schemathesis', { explicit: process.env.SCHEMATHESIS });
  const poppler = await ensureSystemPackage('poppler-utils');
  const chromium = await ensureSystemPackage('chromium');
  console.log(
    `Temporal CLI:         ${cli}\nTemporal test server: ${testServer}\nDocker Compose:       ${compose}\nSchemathesis:         ${schemathesis}\n` +
      `poppler-utils:        ${poppler ? 'installed' : 'missing (see above)'}\n` +
      `chromium:             ${chromium ? 'installed' : 'missing (see above)'}`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
