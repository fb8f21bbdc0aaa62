import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { isWebPage } from '../web/web-paths';
import { CONTENT_TYPE_RULE, FORM_CONTENT_TYPE_RULE, hasBody, isFormContentType, isJsonContentType, WRITE_METHODS } from './content-type';
import { rawBodyRouteOf } from './raw-bodies';
import { requestTargetProblems } from './request-url';
import { allowedMethods } from './routes';

/**
 * First stop of every request, before any body is read: a URL that is not percent-encoded
 * UTF-8 is refused (400), and a command whose body (or declared content type) is not JSON
 * (415), except on the routes that take a file (see raw-bodies.ts) and the web pages (a form); a command with neither is read as `{}`. Only routes that exist are held to the
 * content type, so an unknown path or method still gets its 404 or 405.
 * Every answer is `Cache-Control: no-store`: answers carry personal and organisation data.
 */
export function requestEdge(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  const problems = requestTargetProblems(request.url);
  if (problems.length > 0) return next(new BadRequestException(problems));
  const contentType = request.headers['content-type'];
  const page = isWebPage(request.path);
  if (
    WRITE_METHODS.has(request.method) &&
    !rawBodyRouteOf(request.method, request.path) &&
    (contentType !== undefined || hasBody(request.headers)) &&
    !(page ? isFormContentType(contentType) : isJsonContentType(contentType)) &&
    allowedMethods(request.app, request.path).includes(request.method)
  ) {
    return next(new UnsupportedMediaTypeException(page ? FORM_CONTENT_TYPE_RULE : CONTENT_TYPE_RULE));
  }
  next();
}

export const BODY_NOT_UTF8 = 'body must be valid UTF-8';
export const BODY_NOT_JSON = 'body must be valid JSON: an object, such as {}';

/** body-parser's `verify`: bytes that are not UTF-8 would otherwise be decoded into replacement characters. */
export function refuseInvalidUtf8(_request: unknown, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error(BODY_NOT_UTF8), { type: 'entity.invalid.utf8' });
}

/**
 * The body parser's errors as answers that name the rule: its own messages (and Node's JSON
 * errors) quote the body or the header, and its error objects carry the raw body.
 */
export function translateBodyError(error: unknown, limitBytes: number): unknown {
  switch ((error as { type?: string } | null)?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeException(`body must be at most ${limitBytes} bytes`);
    case 'entity.parse.failed':
      return new BadRequestException(BODY_NOT_JSON);
    case 'entity.invalid.utf8':
      return new BadRequestException(BODY_NOT_UTF8);
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(CONTENT_TYPE_RULE);
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException('Content-Encoding must be gzip, deflate, br or none');
    case 'request.aborted':
      return new BadRequestException('the request was aborted before its body was complete');
    case 'request.size.invalid':
      return new BadRequestException('body must be as long as its Content-Length says');
    default:
      return error;
  }
}

/** An Express error handler placed right after the body parser. */
export const bodyErrors =
  (limitBytes: number) =>
  (error: unknown, _request: Request, _response: Response, next: NextFunction): void =>
    next(translateBodyError(error, limitBytes) as Error | HttpException);
