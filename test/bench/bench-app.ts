import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/http';

/** The Overdracht app as a bench runs it: the API with its worker in-process, on a free loopback port. */
export async function startBenchApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ http: true, runWorker: true }), { logger: false, abortOnError: false });
  try {
    configureHttp(app);
    await app.listen(0, '127.0.0.1');
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

export const urlOf = (app: INestApplication) => `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
