import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethods } from '../../http/routes';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { homeOf } from '../pages/sign-in/sign-in-messages';
import { isWebPath } from '../web-paths';
import { errorPageFor } from './error-pages';

/** Where a page sends a browser that is not signed in (or whose session ended). */
export const SIGN_IN_PATH = '/inloggen';

/**
 * Errors of web pages as Dutch HTML pages: not signed in (401) is a redirect to the sign-in
 * page, everything else a page with its status. Errors of the JSON API go on to `api`, as
 * before. A page never shows the error's own (English, technical) message.
 */
@Catch()
export class WebPageErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('WebPages');

  constructor(private readonly api: ExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return void this.api.catch(exception, host);
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (!isWebPath(request.path)) return void this.api.catch(exception, host);
    if (response.headersSent) return void response.end();

    let status = statusOf(exception);
    if (status === HttpStatus.UNAUTHORIZED) return response.redirect(HttpStatus.SEE_OTHER, SIGN_IN_PATH);
    if (status === HttpStatus.NOT_FOUND && isNoRoute(exception, request)) {
      const allowed = allowedMethods(request.app, request.path);
      if (allowed.length > 0) {
        response.setHeader('Allow', allowed.join(', '));
        status = HttpStatus.METHOD_NOT_ALLOWED;
      }
    }
    if (status >= 500 && !(exception instanceof HttpException)) this.log.error(exception);
    const message = exception instanceof HttpException ? exception.message : undefined;
    const user = (request as { user?: AuthenticatedUser }).user;
    response.status(status).render('fout', {
      error: errorPageFor(status, message),
      user,
      // For the header's sign-out form; none without a user, so an error opens no session.
      csrfToken: user ? (request.csrfToken?.() ?? '') : '',
      // The user's own start page: a provider's overview would be this 403 again.
      home: user ? homeOf(user.role) : SIGN_IN_PATH,
    });
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (exception as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : HttpStatus.INTERNAL_SERVER_ERROR;
}

/** Nest's own 404 for a path no route (with this method) serves. */
const isNoRoute = (exception: unknown, request: Request) =>
  exception instanceof HttpException && exception.message === `Cannot ${request.method} ${request.originalUrl}`;
