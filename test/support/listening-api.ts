import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import type { Role } from '../../src/auth/auth.types';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { configureHttp } from '../../src/http';
import { createTestUser, seedOrganisations, TestUser } from './access';
import { createTestDatabase, TestDatabase } from './database';
import { startTemporalDevServer } from './temporal';

export interface ListeningApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  app: INestApplication;
  db: TestDatabase;
  env: TestWorkflowEnvironment;
  users: Record<string, TestUser>;
  /** Where its erasures are logged: a file of its own, removed by `stop()`. */
  erasureLog: string;
  stop(): Promise<void>;
}

export type TestUsers = ReadonlyArray<readonly [name: string, role: Role, organisation: string]>;

export interface ApiOptions {
  /** Settings of the spec's own, set beside (or over) the ones every test API gets; `stop()` puts back what was there. */
  env?: Record<string, string>;
  temporalUiPort?: number;
}

/**
 * The Nest app with its worker, on a real Temporal dev server and a database of its own (the demo
 * organisations seeded, `users` created), listening on a free loopback port: for supertest on
 * `app.getHttpServer()` and for clients outside this process alike.
 */
export async function startApi(taskQueue: string, users: TestUsers, options: ApiOptions = {}): Promise<ListeningApi> {
  const [env, db, sink] = await Promise.all([startTemporalDevServer({ uiPort: options.temporalUiPort }), createTestDatabase(), SmtpSink.start(0)]);
  let app: INestApplication | undefined;
  // Erasures it makes (clients', and subscribers' its callers import and erase) go to a log of its own, not the project's.
  const erasureLog = join(tmpdir(), `overdracht-erasures-${randomBytes(4).toString('hex')}.log`);
  const settings: Record<string, string> = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: sink.url,
    DEMO_DATA: 'false',
    PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    CLIENT_ERASURE_LOG: erasureLog,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const restoreEnvironment = setEnvironment(settings);
  const stop = async () => {
    await app?.close();
    await env.teardown();
    await sink.stop();
    await db.drop();
    await rm(erasureLog, { force: true });
    restoreEnvironment();
  };
  try {
    await seedOrganisations(db.admin);
    const made: Record<string, TestUser> = {};
    for (const [name, role, organisation] of users) made[name] = await createTestUser(db.app, role, organisation);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ http: true, runWorker: true })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, port, app, db, env, users: made, erasureLog, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * `startApi` for clients outside this process. Some of them (Schemathesis) leave tokens out and
 * break them on purpose, many times a minute, from one address: the failed-authentication limit
 * would block them.
 */
export function startListeningApi(taskQueue: string, users: TestUsers, options: ApiOptions = {}): Promise<ListeningApi> {
  return startApi(taskQueue, users, { ...options, env: { AUTH_FAILURE_LIMIT: '100000', ...options.env } });
}

/** Sets `settings` in process.env; the function returned puts back what each was before. */
function setEnvironment(settings: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
