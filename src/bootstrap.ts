import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { Environment, validateEnvironment } from './config/environment';
import { keyFromFile } from './config/key-file';
import { bootstrapLogger } from './config/logger';
import { projectPath } from './config/paths';
import { DevStack } from './devstack/dev-stack';
import { configureHttp, httpLifecycleOf } from './http';
import type { INestApplication } from '@nestjs/common';
import { DemoData, demoLines } from './demo/demo-data';
import { installTemporalRuntime } from './temporal/temporal-runtime';

interface Process {
  env: Environment;
  log: PinoLogger;
  stack?: DevStack;
  app?: INestApplicationContext;
  /** The API, when this process serves HTTP: drained before the application closes. */
  api?: INestApplication;
}

function prepare(): Process {
  const env = validateEnvironment(process.env);
  const log = bootstrapLogger(env.LOG_LEVEL);
  installTemporalRuntime(log);
  return { env, log };
}

/** Starts (or finds) PostgreSQL and Temporal and points the application's configuration at them. */
async function startStack(proc: Process): Promise<DevStack> {
  proc.stack = await DevStack.start(proc.env, (line) => proc.log.info(line));
  process.env.DATABASE_URL = proc.stack.databaseUrl;
  process.env.TEMPORAL_ADDRESS = proc.stack.temporalAddress;
  process.env.SMTP_URL = proc.stack.smtpUrl;
  if (!proc.env.PAYLOAD_ENCRYPTION_KEY) {
    // Only the dev server started here may use a machine-local key; a real cluster's histories
    // must stay readable wherever its workers run.
    if (proc.env.TEMPORAL_ADDRESS) throw new Error('PAYLOAD_ENCRYPTION_KEY must be set when TEMPORAL_ADDRESS is');
    process.env.PAYLOAD_ENCRYPTION_KEY = keyFromFile(
      projectPath(proc.env.PAYLOAD_ENCRYPTION_KEY_FILE),
      'payload encryption key',
      (line) => proc.log.info(line),
    );
  }
  if (!proc.env.CLIENT_DATA_MASTER_KEY) {
    // The same rule: clients' personal data must stay readable by every process of a real
    // deployment, so there the key comes from the environment, never from one machine's file.
    if (proc.env.TEMPORAL_ADDRESS) throw new Error('CLIENT_DATA_MASTER_KEY must be set when TEMPORAL_ADDRESS is');
    process.env.CLIENT_DATA_MASTER_KEY = keyFromFile(
      projectPath(proc.env.CLIENT_DATA_MASTER_KEY_FILE),
      'client data master key',
      (line) => proc.log.info(line),
    );
  }
  return proc.stack;
}

/**
 * Stops in order: HTTP drains (readiness and new requests 503, after SHUTDOWN_UNREADY_MS and once
 * connections stop coming no new connections, in-flight requests finish or get 503 within SHUTDOWN_DRAIN_MS), then the application closes: the worker stops (in-flight
 * activities finish), then Temporal calls still running are cancelled and awaited, the Temporal
 * client's connection and the database close; then the servers this process started stop.
 */
async function shutDown({ log, app, api, stack, env }: Process, exitCode: number): Promise<never> {
  if (api) {
    log.info(
      `Draining HTTP: readiness down, new requests 503, listener closes after ${env.SHUTDOWN_UNREADY_MS} ms once connections stop coming, ` +
        `then up to ${env.SHUTDOWN_DRAIN_MS} ms for requests in flight`,
    );
    await httpLifecycleOf(api)
      .drain(api.getHttpServer(), { drainMs: env.SHUTDOWN_DRAIN_MS, unreadyMs: env.SHUTDOWN_UNREADY_MS })
      .catch((error) => log.error(error, 'draining HTTP failed'));
  }
  await app?.close().catch((error) => log.error(error, 'closing the application failed'));
  log.info('Application closed; stopping the servers this process started');
  await stack?.stop().catch((error) => log.error(error, 'stopping the servers failed'));
  log.info('Stopped');
  process.exit(exitCode);
}

/**
 * Starts the service: the servers it needs (see DevStack), then the Nest application with the
 * API (`http`) and/or the Temporal worker, until SIGINT or SIGTERM.
 */
export async function runService({ http }: { http: boolean }): Promise<void> {
  const proc = prepare();
  const { env, log } = proc;
  let stopping = false;
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`Stopping (${reason})`);
    void shutDown(proc, exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => (stopping ? process.exit(130) : stop(signal, 0)));
  }

  try {
    const stack = await startStack(proc);
    const module = AppModule.forRoot({ http, runWorker: http ? env.RUN_WORKER : true });
    if (http) {
      const api = await NestFactory.create(module, { bufferLogs: true });
      api.useLogger(api.get(Logger));
      configureHttp(api);
      proc.app = api;
      proc.api = api;
      await api.listen(env.PORT, env.HOST);
      const demo = env.DEMO_DATA ? await api.get(DemoData).seedOnce() : undefined;
      const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
      process.stdout.write(
        [
          '',
          'Overdracht is running',
          `  API          ${base}`,
          `  API docs     ${base}/api/docs`,
          `  Web pages    ${base}/inloggen`,
          `  Health       ${base}/health`,
          `  PostgreSQL   ${stack.databaseLocation}`,
          `  Temporal     ${stack.temporalAddress}${stack.temporalUiUrl ? `  (web UI ${stack.temporalUiUrl})` : ''}`,
          `  Worker       ${env.RUN_WORKER ? `in this process, task queue "${env.TEMPORAL_TASK_QUEUE}"` : 'not in this process'}`,
          ...(demo ? demoLines(demo) : []),
          'Press Ctrl-C to stop.',
          '',
        ].join('\n') + '\n',
      );
    } else {
      proc.app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
      proc.app.useLogger(proc.app.get(Logger));
      await proc.app.init();
    }
  } catch (error) {
    log.error(error, 'start-up failed');
    stop('start-up failed', 1);
  }
}

/** Runs a one-off command (a projection rebuild, say) in the application's context, then stops. */
export async function runTask(name: string, task: (app: INestApplicationContext, log: PinoLogger) => Promise<void>) {
  const proc = prepare();
  let exitCode = 0;
  try {
    await startStack(proc);
    proc.app = await NestFactory.createApplicationContext(AppModule.forRoot({ http: false, runWorker: false }), {
      bufferLogs: true,
    });
    proc.app.useLogger(proc.app.get(Logger));
    await task(proc.app, proc.log);
  } catch (error) {
    proc.log.error(error, `${name} failed`);
    exitCode = 1;
  }
  await shutDown(proc, exitCode);
}
