import { ArgumentsHost, BadRequestException, Catch, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request } from 'express';
import { STATUS_CODES } from 'node:http';
import { PATH_NOT_UTF8 } from './request-url';

export const NO_SUCH_ROUTE = 'there is no such route';

/** An error of the `http-errors` kind (Express, body-parser, serve-static): a status, and a message meant for logs. */
const httpErrorStatus = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
};

/**
 * The last word on every error answer, so none repeats what the caller sent:
 * - Nest's "Cannot POST /path…" (which echoes the URL) becomes a plain 404.
 * - A path parameter Express could not decode, and errors of the `http-errors` kind, answer with
 *   their rule or their status text only.
 * Everything else goes to Nest's handling (HttpExceptions as they are, unknown errors as a 500
 * that is logged).
 */
@Catch()
export class EdgeExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const request = host.switchToHttp().getRequest<Request>();

    if (exception instanceof NotFoundException && exception.message === `Cannot ${request.method} ${request.originalUrl}`) {
      return super.catch(new NotFoundException(NO_SUCH_ROUTE), host);
    }
    if (exception instanceof BadRequestException && /^Failed to decode param/.test(exception.message)) {
      return super.catch(new BadRequestException([PATH_NOT_UTF8]), host);
    }
    if (!(exception instanceof HttpException)) {
      const status = httpErrorStatus(exception);
      if (status !== undefined && status < 500) return super.catch(new HttpException(STATUS_CODES[status] ?? 'refused', status), host);
    }
    return super.catch(exception, host);
  }
}
