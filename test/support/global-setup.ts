import { ensureTool } from '../../src/devstack/project-tools';
import { EmbeddedPostgresServer } from '../../src/devstack/embedded-postgres';
import { projectPath } from '../../src/config/paths';

declare global {
  // eslint-disable-next-line no-var
  var embeddedTestPostgres: EmbeddedPostgresServer | undefined;
}

/**
 * Once per `npm test`: the Temporal binaries, Docker Compose and Schemathesis (installed into the
 * project if missing) and a PostgreSQL server — DATABASE_URL's when set (CI: the machine's), else an
 * embedded one.
 * Each test file then makes its own database on that server (see database.ts).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  process.env.TEMPORAL_TEST_SERVER = await ensureTool('temporal-test-server', {
    explicit: process.env.TEMPORAL_TEST_SERVER,
  });
  process.env.DOCKER_COMPOSE = await ensureTool('docker-compose', { explicit: process.env.DOCKER_COMPOSE });
  process.env.SCHEMATHESIS = await ensureTool('schemathesis', { explicit: process.env.SCHEMATHESIS });

  if (!process.env.DATABASE_URL) {
    globalThis.embeddedTestPostgres = await EmbeddedPostgresServer.startOrReuse({
      dataDir: projectPath('.data/postgres-test'),
      port: Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 5434),
      database: 'postgres',
      log: () => undefined,
    });
    process.env.DATABASE_URL = globalThis.embeddedTestPostgres.url;
  }
  process.env.TEST_POSTGRES_SERVER_URL = process.env.DATABASE_URL;
}
