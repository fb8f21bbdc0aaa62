import { DataSource } from 'typeorm';
import { Environment, validateEnvironment } from '../config/environment';
import { projectPath } from '../config/paths';
import { EMBEDDED_DATABASE, embeddedPostgresUrl, reachableDataDir } from '../devstack/embedded-postgres';
import { runningServer } from '../devstack/server-record';
import { isPortOpen } from '../devstack/wait-for';
import { dataSourceOptions, migrateDatabase } from './data-source';

export const NO_DATABASE =
  'no database to work on: start the service first (npm start) or set DATABASE_URL';

export interface TaskDatabase {
  /** Where the task works, as the service does (in the application's role). */
  url: string;
  /** The tables' owner, for migrations. */
  migrationUrl: string;
  /** For messages: host and port, never the password. */
  location: string;
}

/**
 * The database a one-off command (token:create and friends) works on, without starting any
 * server: DATABASE_URL when set; else the embedded PostgreSQL of this project's dev stack if
 * it is running now (its server record beside the cluster's folder names a live server on
 * EMBEDDED_POSTGRES_PORT); else none (NO_DATABASE).
 */
export async function locateTaskDatabase(env: Environment): Promise<TaskDatabase> {
  if (env.DATABASE_URL) {
    return {
      url: env.DATABASE_URL,
      migrationUrl: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL,
      location: new URL(env.DATABASE_URL).host,
    };
  }
  const dataDir = reachableDataDir(projectPath(env.EMBEDDED_POSTGRES_DIR));
  const server = runningServer(`${dataDir}.server.json`, dataDir);
  if (!server || server.port !== env.EMBEDDED_POSTGRES_PORT || !(await isPortOpen(server.port))) {
    throw new Error(NO_DATABASE);
  }
  const url = embeddedPostgresUrl(server.port, EMBEDDED_DATABASE);
  return { url, migrationUrl: env.DATABASE_MIGRATION_URL ?? url, location: `127.0.0.1:${server.port} (embedded, ${dataDir})` };
}

/**
 * Runs a one-off command on the database alone (no Temporal, no SMTP, no Nest application).
 * `prepare` reads the command line first (a mistake there needs no database) and returns the
 * task; then the database is found (locateTaskDatabase), its schema brought up to date as the
 * service would, and the task gets a connection in the application's role. A failure is one
 * line on stderr and exit code 1.
 */
export async function runDatabaseTask(
  name: string,
  prepare: () => (dataSource: DataSource) => Promise<void>,
): Promise<void> {
  let dataSource: DataSource | undefined;
  try {
    const task = prepare();
    const database = await locateTaskDatabase(validateEnvironment(process.env));
    try {
      await migrateDatabase(database.migrationUrl);
      dataSource = await new DataSource(dataSourceOptions(database.url, { asAppRole: true })).initialize();
    } catch (error) {
      throw new Error(`cannot use the database at ${database.location}: ${(error as Error).message}`);
    }
    await task(dataSource);
  } catch (error) {
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await dataSource?.destroy().catch(() => undefined);
  }
}
