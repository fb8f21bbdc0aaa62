import type { Params } from 'nestjs-pino';
import pino, { LoggerOptions } from 'pino';

/**
 * Log settings shared by the bootstrap and the Nest logger. Request logs carry method, URL and
 * status only: bodies and headers may hold personal data or tokens and are never logged.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'overdracht' },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
}

export function nestLoggerParams(level: string): Params {
  return {
    pinoHttp: {
      ...loggerOptions(level),
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  };
}

export const bootstrapLogger = (level: string) => pino(loggerOptions(level));
