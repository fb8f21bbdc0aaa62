import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnvironment } from './config/environment';
import { bootstrapLogger } from './config/logger';
import { DevStack } from './devstack/dev-stack';
import { configureHttp } from './http';
import { installTemporalRuntime } from './temporal/temporal-runtime';

/**
 * Starts the service: the servers it needs (see DevStack), then the Nest application with the
 * API (`http`) and/or the Temporal worker. SIGINT/SIGTERM stop everything in order: HTTP and
 * worker first (in-flight activities finish), then the servers this process started.
 */
export async function runService({ http }: { http: boolean }): Promise<void> {
  const env = validateEnvironment(process.env);
  const log = bootstrapLogger(env.LOG_LEVEL);
  let stack: DevStack | undefined;
  let app: INestApplicationContext | undefined;

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`Stopping (${reason})`);
    await app?.close().catch((error) => log.error(error, 'closing the application failed'));
    log.info('Application closed; stopping the servers this process started');
    await stack?.stop().catch((error) => log.error(error, 'stopping the servers failed'));
    log.info('Stopped');
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => (stopping ? process.exit(130) : void stop(signal, 0)));
  }

  try {
    installTemporalRuntime(log);
    stack = await DevStack.start(env, (line) => log.info(line));
    process.env.DATABASE_URL = stack.databaseUrl;
    process.env.TEMPORAL_ADDRESS = stack.temporalAddress;

    const module = AppModule.forRoot({ http, runWorker: http ? env.RUN_WORKER : true });
    if (http) {
      const api = await NestFactory.create(module, { bufferLogs: true });
      api.useLogger(api.get(Logger));
      configureHttp(api);
      app = api;
      await api.listen(env.PORT, env.HOST);
      const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
      process.stdout.write(
        [
          '',
          'Overdracht is running',
          `  API          ${base}`,
          `  API docs     ${base}/api/docs`,
          `  Health       ${base}/health`,
          `  Temporal     ${stack.temporalAddress}${stack.temporalUiUrl ? `  (web UI ${stack.temporalUiUrl})` : ''}`,
          `  Worker       ${env.RUN_WORKER ? `in this process, task queue "${env.TEMPORAL_TASK_QUEUE}"` : 'not in this process'}`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n') + '\n',
      );
    } else {
      app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
      app.useLogger(app.get(Logger));
      await app.init();
    }
  } catch (error) {
    log.error(error, 'start-up failed');
    await stop('start-up failed', 1);
  }
}
