import { ArgumentsHost, Catch, ConflictException, ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { EventIdReuseError, VersionConflictError } from './event-store.errors';

/** A lost race for a stream's version surfaces as HTTP 409; nothing was written. */
@Catch(VersionConflictError, EventIdReuseError)
export class EventStoreExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  catch(error: VersionConflictError | EventIdReuseError, host: ArgumentsHost): void {
    super.catch(new ConflictException(error.message), host);
  }
}
