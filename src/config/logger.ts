import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, LoggerOptions } from 'pino';
import { Options as PinoHttpOptions, pinoHttp } from 'pino-http';
import { safeError, safeLogArguments } from './log-safety';

/**
 * Log settings shared by the bootstrap and the Nest logger. No request value reaches a log:
 * every log call goes through safeLogArguments (errors keep type, message, code and stack; a
 * database error its SQLSTATE instead of its message; statement parameters, driver detail,
 * activity input and request parts are dropped), and the error serialisers do the same.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'overdracht' },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, safeLogArguments(args));
      },
    },
    serializers: { err: safeError, error: safeError },
  };
}

/**
 * JSON lines to stdout, or readable lines in a terminal. Pretty printing is synchronous so log
 * lines and the start-up banner keep their order; pino-pretty is only loaded for a terminal.
 */
function destination(): DestinationStream {
  if (!process.stdout.isTTY) return pino.destination({ fd: 1, sync: true });
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({ sync: true, singleLine: true });
}

interface LoggedRequest {
  id?: unknown;
  method: string;
  url?: string;
  route?: { path?: unknown };
}

const routePattern = (req: LoggedRequest): string | null => (typeof req.route?.path === 'string' ? req.route.path : null);

/**
 * Request logs: method, the route's pattern (`/transitions/:transitionId/tasks/:taskId/complete`,
 * null when no route matched) and the status. Never the URL (its query holds values, and an
 * unknown path is whatever the caller typed), headers or bodies.
 */
function requestLogOptions(level: string): PinoHttpOptions {
  return {
    ...loggerOptions(level),
    serializers: {
      ...loggerOptions(level).serializers,
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // Called when the request starts (no route yet) and when its answer is finished.
    customProps: (req, res) => (res.headersSent ? { route: routePattern(req as unknown as LoggedRequest) } : {}),
    autoLogging: { ignore: (req) => req.url === '/health' },
  };
}

/**
 * The request logger (pino-http), for configureHttp to put in front of everything else, so a
 * request refused before any route (a bad URL, the wrong content type, a body too large) is
 * logged too. Nest's logger (nestLoggerParams) uses the logger it puts on each request.
 */
export const requestLogger = (level: string) => pinoHttp(requestLogOptions(level), destination());

export function nestLoggerParams(level: string): Params {
  return { pinoHttp: [requestLogOptions(level), destination()], useExisting: true };
}

export const bootstrapLogger = (level: string) => pino(loggerOptions(level), destination());
