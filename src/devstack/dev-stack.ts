import type { Environment } from '../config/environment';
import { projectPath } from '../config/paths';
import { EmbeddedPostgresServer } from './embedded-postgres';
import { ensureTemporalBinary } from './temporal-cli';
import { TemporalDevServer } from './temporal-dev-server';

/**
 * The servers the service needs, for one machine: what DATABASE_URL and TEMPORAL_ADDRESS
 * name, or else an embedded PostgreSQL and the Temporal dev server started here.
 */
export class DevStack {
  private constructor(
    readonly databaseUrl: string,
    readonly temporalAddress: string,
    readonly temporalUiUrl: string | undefined,
    private readonly stoppers: Array<() => Promise<void>>,
  ) {}

  static async start(env: Environment, log: (line: string) => void): Promise<DevStack> {
    const stoppers: Array<() => Promise<void>> = [];
    try {
      let databaseUrl = env.DATABASE_URL;
      if (!databaseUrl) {
        const postgres = await EmbeddedPostgresServer.startOrReuse({
          dataDir: projectPath(env.EMBEDDED_POSTGRES_DIR),
          port: env.EMBEDDED_POSTGRES_PORT,
          database: 'overdracht',
          log,
        });
        stoppers.push(() => postgres.stop());
        databaseUrl = postgres.url;
      }

      let temporalAddress = env.TEMPORAL_ADDRESS;
      let temporalUiUrl: string | undefined;
      if (!temporalAddress) {
        const temporal = await TemporalDevServer.startOrReuse({
          cli: await ensureTemporalBinary('temporal', { explicit: env.TEMPORAL_CLI }),
          port: env.TEMPORAL_DEV_SERVER_PORT,
          uiPort: env.TEMPORAL_UI_PORT,
          dbFile: projectPath(env.TEMPORAL_DEV_DB_FILE),
          namespace: env.TEMPORAL_NAMESPACE,
          log,
        });
        stoppers.unshift(() => temporal.stop());
        temporalAddress = temporal.address;
        temporalUiUrl = temporal.uiUrl;
      }
      return new DevStack(databaseUrl, temporalAddress, temporalUiUrl, stoppers);
    } catch (error) {
      await Promise.allSettled(stoppers.map((stop) => stop()));
      throw error;
    }
  }

  /** Stops what this process started: Temporal first (it may still talk to nothing else), then Postgres. */
  async stop(): Promise<void> {
    for (const stop of this.stoppers) await stop();
  }
}
