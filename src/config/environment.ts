import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

/** Reads the raw value: implicit conversion would turn the string "false" into true. */
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  if (typeof raw !== 'string') return raw;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  return raw; // not a boolean: @IsBoolean names the variable
};

/**
 * Every environment variable the service reads, with its default. Unset optional addresses
 * (DATABASE_URL, TEMPORAL_ADDRESS) mean "start the embedded development server".
 */
export class Environment {
  @IsInt() @Min(1) @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '127.0.0.1';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Owner of the tables, for migrations; defaults to DATABASE_URL. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @IsInt() @Min(1) @Max(65535)
  EMBEDDED_POSTGRES_PORT: number = 5433;

  @IsString()
  EMBEDDED_POSTGRES_DIR: string = '.data/postgres';

  @IsOptional() @Matches(/^[^:/\s]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS?: string;

  @IsString()
  TEMPORAL_NAMESPACE: string = 'default';

  @IsString()
  TEMPORAL_TASK_QUEUE: string = 'overdracht';

  @IsOptional() @IsString()
  TEMPORAL_CLI?: string;

  @IsInt() @Min(1) @Max(65535)
  TEMPORAL_DEV_SERVER_PORT: number = 7233;

  @IsInt() @Min(1) @Max(65535)
  TEMPORAL_UI_PORT: number = 8233;

  @IsString()
  TEMPORAL_DEV_DB_FILE: string = '.data/temporal.sqlite';

  @Transform(toBoolean) @IsBoolean()
  RUN_WORKER: boolean = true;

  /** AES-256 key (base64 of 32 bytes) for workflow payloads; unset: kept in PAYLOAD_ENCRYPTION_KEY_FILE. */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PAYLOAD_ENCRYPTION_KEY must be 32 bytes, base64-encoded' })
  PAYLOAD_ENCRYPTION_KEY?: string;

  @IsString()
  PAYLOAD_ENCRYPTION_KEY_FILE: string = '.data/payload-encryption.key';

  /**
   * AES-256 master key (base64 of 32 bytes) that wraps every client's own data key and keys the
   * client-number hashes; unset: kept in CLIENT_DATA_MASTER_KEY_FILE (dev stack only).
   */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'CLIENT_DATA_MASTER_KEY must be 32 bytes, base64-encoded' })
  CLIENT_DATA_MASTER_KEY?: string;

  @IsString()
  CLIENT_DATA_MASTER_KEY_FILE: string = '.data/client-data-master.key';

  /**
   * Append-only log of clients' erasures (pseudonyms only), kept outside the database: after a
   * restore from an older backup, `npm run privacy:reapply-erasures` erases them again.
   */
  @IsString()
  CLIENT_ERASURE_LOG: string = '.data/client-erasures.log';

  /** SMTP server for e-mail, e.g. smtp://user:pass@mail.example:587; unset: a local SMTP sink is started. */
  @IsOptional() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsInt() @Min(1) @Max(65535)
  SMTP_SINK_PORT: number = 2525;

  @IsString()
  MAIL_FROM: string = 'Overdracht <noreply@overdracht.invalid>';

  /**
   * Resident campaigns' e-mail (src/campaigns/sending/): SMTP connections of the one pooled
   * transport the campaign sender uses (to SMTP_URL, from MAIL_FROM).
   */
  @IsInt() @Min(1) @Max(50)
  CAMPAIGN_SMTP_MAX_CONNECTIONS: number = 5;

  /** Campaign e-mails per second at most, over the whole pool (a relay's limit); 0: no limit. */
  @IsInt() @Min(0) @Max(10_000)
  CAMPAIGN_SMTP_RATE_PER_SECOND: number = 20;

  /** Campaign e-mails claimed and sent per page (one activity call of the campaign workflow). */
  @IsInt() @Min(1) @Max(5_000)
  CAMPAIGN_EMAIL_PAGE_SIZE: number = 500;

  /** Days before a due date on which the assignee is reminded, comma-separated. */
  @Matches(/^\d+(,\d+)*$/, { message: 'REMINDER_OFFSETS_DAYS must be days, comma-separated (e.g. 7,1)' })
  REMINDER_OFFSETS_DAYS: string = '7,1';

  @Matches(/^\d+(,\d+)*$/, { message: 'GO_LIVE_REMINDER_OFFSETS_DAYS must be days, comma-separated (e.g. 7,1)' })
  GO_LIVE_REMINDER_OFFSETS_DAYS: string = '7,1';

  /** Days after a missed due date on which the coordinator is alerted. */
  @IsInt() @Min(0) @Max(60)
  ESCALATION_AFTER_DAYS: number = 2;

  /** Business days before go-live on which unfinished client transfers escalate to the coordinator. */
  @IsInt() @Min(1) @Max(60)
  CLIENT_TRANSFER_ESCALATION_BUSINESS_DAYS: number = 10;

  /** A client transfer step stalls after this many business days: consent asked, no answer (the outgoing provider is reminded). */
  @IsInt() @Min(1) @Max(60)
  TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS: number = 10;

  /** Consent given, no file transferred after this many business days (the outgoing provider is reminded). */
  @IsInt() @Min(1) @Max(60)
  TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS: number = 5;

  /** File transferred, no intake planned after this many business days (the incoming provider is reminded). */
  @IsInt() @Min(1) @Max(60)
  TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS: number = 5;

  /** Days after the later of go-live and a transfer's end, after which the client's personal data is erased. */
  @IsInt() @Min(0) @Max(3650)
  CLIENT_DATA_RETENTION_DAYS: number = 90;

  /** Seed the demo programmes (Rotterdam, Enschede) and demo users on first start. */
  @Transform(toBoolean) @IsBoolean()
  DEMO_DATA: boolean = true;

  /** Where the demo users' tokens are kept (git-ignored), so every start can print them. */
  @IsString()
  DEMO_TOKENS_FILE: string = '.data/demo-tokens.json';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Largest request body accepted, in bytes (413 above it): a command's JSON is a few hundred bytes. */
  @IsInt() @Min(1024) @Max(10 * 1024 * 1024)
  REQUEST_BODY_LIMIT_BYTES: number = 32 * 1024;

  /**
   * Origins of the Temporal Web UI that may call the codec endpoint (`/codec/decode`) from the
   * browser, comma-separated (e.g. http://localhost:8233); unset: none (no CORS at all).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/, {
    message: 'TEMPORAL_UI_ORIGINS must be origins (scheme://host[:port], no path), comma-separated',
  })
  TEMPORAL_UI_ORIGINS?: string;

  /** Largest body of the codec endpoint, in bytes (413 above it): a page of workflow payloads. */
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  CODEC_BODY_LIMIT_BYTES: number = 4 * 1024 * 1024;

  /**
   * Server-side deadline of every HTTP request, in ms: a workflow query or command still waiting
   * for Temporal then is abandoned (cancelled) and answered 503. A caller that disconnects
   * cancels its request's Temporal calls at once.
   */
  @IsInt() @Min(1_000) @Max(120_000)
  REQUEST_DEADLINE_MS: number = 10_000;

  /**
   * On SIGINT/SIGTERM, readiness (`/health/ready`) and every new request answer 503 at once; the
   * listener stays open at least this long (ms), and on while connections keep coming, so a load
   * balancer notices first and requests already on their way are answered rather than reset.
   */
  @IsInt() @Min(0) @Max(60_000)
  SHUTDOWN_UNREADY_MS: number = 1_000;

  /**
   * On SIGINT/SIGTERM: how long in-flight HTTP requests may take to finish after readiness has
   * gone down and the listener has closed (ms); what is still running then is cancelled and
   * answered 503. Longer than REQUEST_DEADLINE_MS lets every request end by itself.
   */
  @IsInt() @Min(0) @Max(300_000)
  SHUTDOWN_DRAIN_MS: number = 15_000;

  /**
   * The Temporal worker's sticky cache: workflows kept in memory between their tasks. Memory
   * grows with it (a few hundred KiB per cached handover); a workflow that falls out of it is
   * replayed from its history at its next task.
   */
  @IsInt() @Min(0) @Max(100_000)
  WORKER_MAX_CACHED_WORKFLOWS: number = 250;

  /** Workflow tasks the worker runs at once (the SDK's default). */
  @IsInt() @Min(2) @Max(1_000)
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: number = 40;

  /** Activities the worker runs at once (the SDK's default; each may wait for a database connection). */
  @IsInt() @Min(1) @Max(1_000)
  WORKER_MAX_CONCURRENT_ACTIVITIES: number = 100;

  /**
   * Web pages (src/web/): a browser session ends after this many minutes without a request
   * (decimals allowed, so a test can make it seconds).
   */
  @IsNumber({}, { message: 'WEB_SESSION_IDLE_MINUTES must be a number of minutes' }) @Min(0.05) @Max(1_440)
  WEB_SESSION_IDLE_MINUTES: number = 30;

  /** A browser session ends this many hours after signing in, however active it is. */
  @IsNumber({}, { message: 'WEB_SESSION_ABSOLUTE_HOURS must be a number of hours' }) @Min(0.01) @Max(168)
  WEB_SESSION_ABSOLUTE_HOURS: number = 12;

  /**
   * Behind a reverse proxy that terminates HTTPS: trust its X-Forwarded-* headers (one hop), so
   * the session cookie is marked Secure and sent over HTTPS only, and a client's address (the
   * failed-authentication limit's key) is the one the proxy forwards.
   */
  @Transform(toBoolean) @IsBoolean()
  TRUST_PROXY: boolean = false;

  /** Failed authentications (401) one client may have within AUTH_FAILURE_WINDOW_SECONDS before it is blocked (429). */
  @IsInt() @Min(1) @Max(100_000)
  AUTH_FAILURE_LIMIT: number = 10;

  @IsInt() @Min(1) @Max(86_400)
  AUTH_FAILURE_WINDOW_SECONDS: number = 60;

  /** How long a client that went over AUTH_FAILURE_LIMIT gets 429 on every route that needs a token. */
  @IsInt() @Min(1) @Max(86_400)
  AUTH_FAILURE_BLOCK_SECONDS: number = 300;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = new Set(Object.keys(new Environment()));
  const present = Object.fromEntries(
    Object.entries(raw).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const environment = plainToInstance(Environment, present, { enableImplicitConversion: true });
  const errors = validateSync(environment);
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return environment;
}
