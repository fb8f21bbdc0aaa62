import { DefaultLogger, LogLevel, Runtime } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Installs the Temporal SDK runtime for a service process: its logs go to our logger, and it
 * leaves SIGINT/SIGTERM alone, because the service stops its worker itself, in order.
 */
export function installTemporalRuntime(logger: PinoLogger): void {
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('INFO', ({ level, message, meta }) =>
      temporalLogger[pinoLevel[level]](meta ?? {}, message),
    ),
  });
}
