import { INestApplication, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage as IncomingRequest } from 'node:http';
import { codecBody } from './codec/codec-body';
import { codecCors, parseOrigins } from './codec/codec-cors';
import { requestLogger } from './config/logger';
import { EventStoreExceptionFilter } from './events/event-store-exception.filter';
import { EdgeExceptionFilter } from './http/edge-exception.filter';
import { FailedAuthLimiter } from './http/failed-auth';
import { bodyErrors, refuseInvalidUtf8, requestEdge } from './http/request-edge';
import { rawBodies } from './http/raw-bodies';
import { HttpLifecycle } from './http/request-lifecycle';
import { securityHeaders } from './http/security-headers';
import { setupOpenApi } from './openapi/document';
import { RefuseControlCharactersPipe } from './validation/control-characters.pipe';
import { RefuseUnsafeStructurePipe } from './validation/json-structure.pipe';
import { validationException } from './validation/validation-errors';
import { oneSnapshotPerRequest } from './database/read-cache';
import { rememberedJson } from './http/remembered-json';
import { isFormContentType } from './http/content-type';
import { WebPageErrorFilter } from './web/errors/web-error.filter';
import { webAssets } from './web/web-assets';
import { configureViews, webSessions } from './web/web-http';
import { isWebPage } from './web/web-paths';

/** Where setupOpenApi serves Swagger UI: its pages get the content security policy they need. */
const DOCS_PATH = 'api/docs';

/**
 * HTTP behaviour shared by the service and the end-to-end tests. Call it before `init()` or
 * `listen()`: the middleware below must come before Nest's routes (and takes the place of its
 * default body parsers).
 */
export function configureHttp(app: INestApplication): void {
  const http = app as NestExpressApplication;
  const config = app.get(ConfigService);
  const bodyLimit = config.getOrThrow<number>('REQUEST_BODY_LIMIT_BYTES');

  // Every request is logged (method, route pattern, status), also one refused below.
  http.use(requestLogger(config.getOrThrow<string>('LOG_LEVEL')));
  // Counted in flight with its deadline and cancel signal; 503 once the service drains (stops).
  const lifecycle = httpLifecycleOf(app);
  lifecycle.deadlineMs = config.getOrThrow<number>('REQUEST_DEADLINE_MS');
  lifecycle.watch(app.getHttpServer());
  http.use(lifecycle.gate);
  // Before any body is read: security headers, no-store, a well-formed URL, JSON content type.
  http.disable('x-powered-by');
  http.use(securityHeaders(DOCS_PATH));
  // The web pages' style sheets, cached for a year (their URLs change with their content).
  http.use(webAssets);
  // The Temporal Web UI's origins on the codec route only: its preflight is answered here.
  http.use(codecCors(parseOrigins(config.get<string>('TEMPORAL_UI_ORIGINS'))));
  http.use(requestEdge);
  // JSON only, up to the limit, valid UTF-8. Registered here, Nest adds neither of its defaults:
  // the form parser reads the web pages' forms only (a command with a form body got 415 above).
  http.use(rawBodies());
  http.use(codecBody(config.getOrThrow<number>('CODEC_BODY_LIMIT_BYTES')));
  const json = { limit: bodyLimit, verify: refuseInvalidUtf8 };
  http.useBodyParser('json', json);
  http.useBodyParser('urlencoded', {
    type: (request: IncomingRequest) => isWebPage(request.url?.split('?')[0] ?? '') && isFormContentType(request.headers['content-type']),
    extended: false,
    parameterLimit: 20,
    limit: bodyLimit,
    verify: refuseInvalidUtf8,
  });
  http.use(bodyErrors(bodyLimit));
  // After the body parsers, before the sessions: a GET's cached reads (session, token, its reads)
  // are checked against one database snapshot.
  http.use(oneSnapshotPerRequest);
  // The JSON of a remembered read is written once, not for every request that gets it.
  http.use(rememberedJson);
  // The web pages' sessions and CSRF check (src/web/); the API's requests pass untouched.
  for (const middleware of webSessions(app)) http.use(middleware);
  // After the body parsers (their stream events would lose it): the request's signal and deadline
  // for the code that serves it (withinDeadline).
  http.use(lifecycle.scope);

  // One catch-all filter: the edge's rewrites (404/405, failed-auth counting, undecodable
  // paths), then the event store's (409 for a lost race, 503 for a database out of reach).
  // Errors of the web pages become Dutch HTML pages first; the API's go on as before.
  app.useGlobalFilters(
    new WebPageErrorFilter(
      new EdgeExceptionFilter(
        app.getHttpAdapter(),
        app.get(FailedAuthLimiter, { strict: false }),
        new EventStoreExceptionFilter(app.getHttpAdapter()),
      ),
    ),
  );
  app.useGlobalPipes(
    // First: a body that is no object, nested too deeply or reaching for a prototype.
    new RefuseUnsafeStructurePipe(),
    // Then bad text in any body, query or path value, before a DTO sees it.
    new RefuseControlCharactersPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      // The target lets the refusal of an unknown property list the allowed ones; no values.
      validationError: { target: true, value: false },
      exceptionFactory: validationException,
    }),
  );
  configureViews(app);
  setupOpenApi(app);
}

/** The application's HttpLifecycle (HealthModule provides it); a test's module without it gets one of its own. */
export function httpLifecycleOf(app: INestApplication): HttpLifecycle {
  const known = lifecycles.get(app);
  if (known) return known;
  let lifecycle: HttpLifecycle;
  try {
    lifecycle = app.get(HttpLifecycle, { strict: false });
  } catch {
    lifecycle = new HttpLifecycle();
  }
  lifecycles.set(app, lifecycle);
  return lifecycle;
}

const lifecycles = new WeakMap<INestApplication, HttpLifecycle>();
