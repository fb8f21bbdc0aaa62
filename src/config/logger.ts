import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, LoggerOptions } from 'pino';

/**
 * Log settings shared by the bootstrap and the Nest logger. Request logs carry method, URL and
 * status only: bodies and headers may hold personal data or tokens and are never logged.
 */
export function loggerOptions(level: string): LoggerOptions {
  return { level, base: { service: 'overdracht' } };
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

export function nestLoggerParams(level: string): Params {
  return {
    pinoHttp: [
      {
        ...loggerOptions(level),
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/health' },
      },
      destination(),
    ],
  };
}

export const bootstrapLogger = (level: string) => pino(loggerOptions(level), destination());
