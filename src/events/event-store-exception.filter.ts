import { ArgumentsHost, Catch, ConflictException, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnreachable } from '../database/database-errors';
import { EventIdReuseError, VersionConflictError } from './event-store.errors';

/**
 * Store errors as HTTP: a lost race for a stream's version is 409 (nothing was written), a
 * database out of reach is 503 (try again); everything else goes its usual way.
 */
@Catch()
export class EventStoreExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    if (error instanceof VersionConflictError || error instanceof EventIdReuseError) {
      return super.catch(new ConflictException('the handover was changed by someone else first; nothing was written'), host);
    }
    if (isDatabaseUnreachable(error)) {
      return super.catch(new ServiceUnavailableException('the database could not be reached; nothing was changed; try again'), host);
    }
    super.catch(error, host);
  }
}
