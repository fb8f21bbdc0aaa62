import { DefaultLogger, LogLevel, Runtime } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The SDK's level for ours: it never logs below INFO unless LOG_LEVEL asks for debug or trace. */
const sdkLevel = (level: string): LogLevel =>
  level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : level === 'info' ? 'INFO' : level === 'warn' ? 'WARN' : 'ERROR';

/**
 * Installs the Temporal SDK runtime for a service process: its logs go to our logger, and it
 * leaves SIGINT/SIGTERM alone, because the service stops its worker itself, in order. What the
 * SDK logs with a message (activity and workflow info, a failed activity's error) passes our
 * logger's redaction like every other log call: no activity input, no error parameters.
 */
export function installTemporalRuntime(logger: PinoLogger): void {
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(sdkLevel(logger.level), ({ level, message, meta }) =>
      temporalLogger[pinoLevel[level]](meta ?? {}, message),
    ),
  });
}
