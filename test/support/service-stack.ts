import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { createTestUser, seedOrganisations, TestUser } from './access';
import { createTestDatabase, TestDatabase } from './database';
import { freePort, processesMentioning, ServiceProcess } from './service-process';
import { startTemporalDevServer } from './temporal';
import { TemporalCli } from './temporal-cli';

/** The users every stack has: Rotterdam's coordinator and auditor, the outgoing and the incoming provider of its handovers. */
export type StackUser = 'coordinator' | 'auditor' | 'outgoing' | 'incoming';
const USERS: ReadonlyArray<readonly [StackUser, 'coordinator' | 'auditor' | 'provider', string]> = [
  ['coordinator', 'coordinator', 'rotterdam'],
  ['auditor', 'auditor', 'rotterdam'],
  ['outgoing', 'provider', 'welzijn-maas'],
  ['incoming', 'provider', 'buurtkracht'],
];

export interface Answer {
  /** 0 when no answer came (the connection broke, or the time ran out). */
  status: number;
  bytes: Buffer;
  text: string;
  /** The body as JSON, when it is. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Why no answer came. */
  error?: string;
}

/**
 * The service as production runs it, for one test file: its processes (the API, workers; each a
 * ServiceProcess) on a real Temporal dev server (with the Temporal CLI an operator would use
 * against it), a PostgreSQL database of the file's own (the demo organisations seeded), an SMTP
 * sink and a folder for logs and the erasure log. `stop()` removes all of it, also after a
 * failure, and kills whatever process of it is left.
 */
export class ServiceStack {
  /** On every command line of the stack's processes (see processesMentioning) and the name of its folder. */
  readonly marker: string;
  readonly workDir: string;
  readonly taskQueue: string;
  readonly payloadKey = randomBytes(32).toString('base64');
  readonly clientDataKey = randomBytes(32).toString('base64');
  readonly erasureLog: string;
  temporal!: TestWorkflowEnvironment;
  cli!: TemporalCli;
  db!: TestDatabase;
  sink!: SmtpSink;
  apiPort!: number;
  readonly users = {} as Record<StackUser, TestUser>;
  /** Every process started, in order, running or not. */
  readonly processes: ServiceProcess[] = [];

  private constructor(name: string) {
    this.marker = `overdracht-${name}-${randomBytes(4).toString('hex')}`;
    this.workDir = join(tmpdir(), this.marker);
    this.taskQueue = this.marker;
    this.erasureLog = join(this.workDir, 'client-erasures.log');
  }

  static async start(name: string): Promise<ServiceStack> {
    const stack = new ServiceStack(name);
    try {
      mkdirSync(stack.workDir, { recursive: true });
      stack.apiPort = await freePort();
      [stack.temporal, stack.db, stack.sink] = await Promise.all([startTemporalDevServer(), createTestDatabase(), SmtpSink.start(0)]);
      stack.cli = new TemporalCli(stack.temporal.address, stack.temporal.namespace ?? 'default');
      await seedOrganisations(stack.db.admin);
      for (const [name, role, organisation] of USERS) stack.users[name] = await createTestUser(stack.db.app, role, organisation);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** What a process of the service gets: nothing of the test runner's environment but PATH and HOME. */
  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(this.apiPort),
      DATABASE_URL: this.db.url,
      TEMPORAL_ADDRESS: this.temporal.address,
      TEMPORAL_NAMESPACE: this.temporal.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      PAYLOAD_ENCRYPTION_KEY: this.payloadKey,
      CLIENT_DATA_MASTER_KEY: this.clientDataKey,
      CLIENT_ERASURE_LOG: this.erasureLog,
      SMTP_URL: this.sink.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  private async started(start: Promise<ServiceProcess>): Promise<ServiceProcess> {
    const service = await start;
    this.processes.push(service);
    return service;
  }

  /** The API (`src/main.ts`), with a worker in it unless `RUN_WORKER: 'false'`; on the stack's port. */
  startApi(name = 'api', extra: Record<string, string> = {}): Promise<ServiceProcess> {
    return this.started(
      ServiceProcess.start({
        name,
        script: 'src/main.ts',
        env: this.environment(extra),
        marker: this.marker,
        logDir: this.workDir,
        readyWhen: 'Overdracht is running',
        readyTimeoutMs: 180_000,
      }),
    );
  }

  /** A worker process (`src/worker.ts`): it bundles workflows/ from source before it polls. */
  startWorker(name: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    return this.started(
      ServiceProcess.start({
        name,
        script: 'src/worker.ts',
        env: this.environment(extra),
        marker: this.marker,
        logDir: this.workDir,
        readyWhen: 'Temporal worker polling task queue',
        readyTimeoutMs: 180_000,
      }),
    );
  }

  /** One request to the API as `who` (or without a token); never throws: no answer is status 0. */
  async request(
    who: StackUser | null,
    method: string,
    path: string,
    { headers = {}, body, timeoutMs = 60_000 }: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
  ): Promise<Answer> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.apiPort}${path}`, {
        method,
        headers: { ...(who ? { authorization: `Bearer ${this.users[who].token}` } : {}), ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      const text = bytes.toString('utf8');
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, bytes, text, body: parsed };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { status: 0, bytes: Buffer.alloc(0), text: '', body: undefined, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
  }

  /** The last `chars` characters of each process's log, for a failure report. */
  logTails(chars = 3_000): string {
    if (!this.workDir) return '';
    let files: string[] = [];
    try {
      files = readdirSync(this.workDir).filter((file) => file.endsWith('.log') && file !== 'client-erasures.log');
    } catch {
      return '';
    }
    return files.map((file) => `--- ${file} ---\n${readFileSync(join(this.workDir, file), 'utf8').slice(-chars)}`).join('\n');
  }

  /**
   * Stops every process (SIGTERM, SIGKILL after 5 s), the Temporal server, the SMTP sink, drops
   * the database and removes the folder; whatever fails, the rest still happens. Answers the
   * pids of processes of the stack that were still there and had to be killed.
   */
  async stop(): Promise<number[]> {
    await Promise.allSettled(this.processes.map((service) => service.stop(5_000)));
    await Promise.allSettled([this.temporal?.teardown(), this.sink?.stop()]);
    await this.db?.drop().catch(() => undefined);
    const left = processesMentioning(this.marker);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended in between
      }
    }
    rmSync(this.workDir, { recursive: true, force: true });
    return left;
  }
}
