import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  MethodNotAllowedException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { FailedAuthLimiter, tooManyFailedAuthentications } from './failed-auth';
import { PATH_NOT_UTF8 } from './request-url';
import { allowedMethods } from './routes';

export const NO_SUCH_ROUTE = 'there is no such route';
export const METHOD_NOT_ALLOWED = 'this method is not allowed here; the Allow header lists those that are';

/** An error of the `http-errors` kind (Express, body-parser, serve-static): a status, and a message meant for logs. */
const httpErrorStatus = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
};

/**
 * The last word on every error answer, so none repeats what the caller sent:
 * - Nest's "Cannot POST /path…" (which echoes the URL) becomes a plain 404, or 405 with an
 *   `Allow` header where the path exists with other methods; OPTIONS there gets 204 and `Allow`.
 * - A 401 counts towards the caller's failed-authentication limit; the one that reaches it is a
 *   429 with `Retry-After`.
 * - A path parameter Express could not decode, and errors of the `http-errors` kind, answer with
 *   their rule or their status text only.
 * Everything else goes to `next`, or Nest's handling (HttpExceptions as they are, unknown errors
 * as a 500 that is logged through the redacting logger).
 */
@Catch()
export class EdgeExceptionFilter extends BaseExceptionFilter {
  /**
   * `next` answers what this filter does not rewrite, and what it rewrote (Nest tries only one
   * catch-all filter per error, so the next is called here): the event store's filter, say.
   */
  constructor(
    applicationRef: ConstructorParameters<typeof BaseExceptionFilter>[0],
    private readonly limiter?: FailedAuthLimiter,
    private readonly next?: ExceptionFilter,
  ) {
    super(applicationRef);
  }

  private answer(exception: unknown, host: ArgumentsHost): void {
    if (this.next) this.next.catch(exception, host);
    else super.catch(exception, host);
  }

  override catch(exception: unknown, host: ArgumentsHost): void | Promise<void> {
    if (host.getType() !== 'http') return this.answer(exception, host);
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();

    if (exception instanceof NotFoundException && exception.message === `Cannot ${request.method} ${request.originalUrl}`) {
      return this.noRoute(request, response, host);
    }
    if (exception instanceof UnauthorizedException && this.limiter) {
      return this.limiter.recordFailure(request).then(
        (wait) => this.answer(wait > 0 ? tooManyFailedAuthentications(response, wait) : exception, host),
        () => this.answer(exception, host),
      );
    }
    if (exception instanceof BadRequestException && /^Failed to decode param/.test(exception.message)) {
      return this.answer(new BadRequestException([PATH_NOT_UTF8]), host);
    }
    if (!(exception instanceof HttpException)) {
      const status = httpErrorStatus(exception);
      if (status !== undefined && status < 500) return this.answer(new HttpException(STATUS_CODES[status] ?? 'refused', status), host);
    }
    return this.answer(exception, host);
  }

  private noRoute(request: Request, response: Response, host: ArgumentsHost): void {
    const allowed = allowedMethods(request.app, request.path);
    if (allowed.length === 0) return this.answer(new NotFoundException(NO_SUCH_ROUTE), host);
    response.setHeader('Allow', allowed.join(', '));
    if (request.method === 'OPTIONS') {
      response.status(HttpStatus.NO_CONTENT).end();
      return;
    }
    return this.answer(new MethodNotAllowedException(METHOD_NOT_ALLOWED), host);
  }
}
