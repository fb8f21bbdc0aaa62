import type { Environment } from '../config/environment';
import { projectPath } from '../config/paths';
import { EMBEDDED_DATABASE, EmbeddedPostgresServer } from './embedded-postgres';
import { ensureTool } from './project-tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { isPortOpen } from './wait-for';
import { SmtpSink } from './smtp-sink';
import { TemporalDevServer } from './temporal-dev-server';

const SEARCH_ATTRIBUTE_CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime' };

/**
 * A local SMTP sink that logs what it receives: the subject and how many recipients, never their
 * addresses (a campaign's e-mails go to residents).
 */
async function startOrFindSmtpSink(port: number, log: (line: string) => void): Promise<SmtpSink | undefined> {
  if (await isPortOpen(port)) {
    log(`Reusing the SMTP server already listening on port ${port}`);
    return undefined;
  }
  log(`Starting a local SMTP sink on 127.0.0.1:${port}; e-mails are logged, not delivered`);
  return SmtpSink.start(port, (mail) => log(`E-mail to ${mail.to.length} recipient(s): ${mail.subject}`));
}

/** host:port of a PostgreSQL URL, without user or password. */
const hostOf = (url: string) => new URL(url).host;

/**
 * The servers the service needs, for one machine: what DATABASE_URL, TEMPORAL_ADDRESS and
 * SMTP_URL name, or else an embedded PostgreSQL, the Temporal dev server and an SMTP sink
 * started here.
 */
export class DevStack {
  private constructor(
    /** Where the database is, for the start banner: a host and port, and the embedded cluster's folder. */
    readonly databaseLocation: string,
    readonly databaseUrl: string,
    readonly temporalAddress: string,
    readonly temporalUiUrl: string | undefined,
    readonly smtpUrl: string,
    private readonly stoppers: Array<() => Promise<void>>,
  ) {}

  static async start(env: Environment, log: (line: string) => void): Promise<DevStack> {
    const stoppers: Array<() => Promise<void>> = [];
    try {
      let databaseUrl = env.DATABASE_URL;
      let databaseLocation = databaseUrl ? hostOf(databaseUrl) : '';
      if (!databaseUrl) {
        const postgres = await EmbeddedPostgresServer.startOrReuse({
          dataDir: projectPath(env.EMBEDDED_POSTGRES_DIR),
          port: env.EMBEDDED_POSTGRES_PORT,
          database: EMBEDDED_DATABASE,
          log,
        });
        stoppers.push(() => postgres.stop());
        databaseUrl = postgres.url;
        databaseLocation = `${hostOf(databaseUrl)}  (embedded${postgres.dataDir ? `, data in ${postgres.dataDir}` : ', found running'})`;
      }

      let temporalAddress = env.TEMPORAL_ADDRESS;
      let temporalUiUrl: string | undefined;
      if (!temporalAddress) {
        const temporal = await TemporalDevServer.startOrReuse({
          searchAttributes: SEARCH_ATTRIBUTES.map((key) => `${key.name}=${SEARCH_ATTRIBUTE_CLI_TYPE[key.type]}`),
          cli: await ensureTool('temporal', { explicit: env.TEMPORAL_CLI }),
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
      let smtpUrl = env.SMTP_URL;
      if (!smtpUrl) {
        const sink = await startOrFindSmtpSink(env.SMTP_SINK_PORT, log);
        if (sink) stoppers.push(() => sink.stop());
        smtpUrl = `smtp://127.0.0.1:${env.SMTP_SINK_PORT}`;
      }
      return new DevStack(databaseLocation, databaseUrl, temporalAddress, temporalUiUrl, smtpUrl, stoppers);
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
