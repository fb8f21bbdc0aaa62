import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ensureTool } from '../../src/devstack/project-tools';
import { BenchDatabase, createBenchDatabase, openKeptBenchDatabase } from '../bench/bench-database';
import type { Cleanup } from '../bench/cleanup';
import { startTemporalDevServer } from './temporal';

export interface BenchStack {
  /** A Temporal dev server of the benchmark's own (the CLI's), our search attributes registered. */
  temporal: TestWorkflowEnvironment;
  /** A migrated database of the benchmark's own (`<prefix>_<random>`), dropped by the cleanup; or, with `keepDatabase`, one kept between runs. */
  db: BenchDatabase;
}

/**
 * What every benchmark that runs workflows for real starts with: the Temporal CLI (installed into
 * .tools when it is not there), a Temporal dev server and a database of its own on DATABASE_URL's
 * server (default: the local PostgreSQL), both registered with `cleanup` before they exist, so a
 * failure or Ctrl-C on the way still stops the server and drops the database.
 *
 * Installs Temporal's native runtime without signal handlers of its own: the benchmark's cleanup
 * handles SIGINT and SIGTERM.
 */
export async function startBenchStack(cleanup: Cleanup, prefix: string, options: { keepDatabase?: string } = {}): Promise<BenchStack> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  process.env.TEMPORAL_CLI = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const [temporal, db] = await Promise.all([
    cleanup.start('Temporal dev server', startTemporalDevServer(), (server) => server.teardown()),
    options.keepDatabase ? openKeptBenchDatabase(serverUrl, options.keepDatabase, cleanup) : createBenchDatabase(serverUrl, prefix, cleanup),
  ]);
  return { temporal, db };
}
