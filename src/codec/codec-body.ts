import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { refuseInvalidUtf8, translateBodyError } from '../http/request-edge';
import { CODEC_PATHS } from './codec-cors';

/**
 * The codec routes' JSON parser, with their own size limit (CODEC_BODY_LIMIT_BYTES): a page of
 * workflow payloads is larger than a command. Registered before the service's JSON parser,
 * which then leaves the parsed body alone.
 */
export function codecBody(limitBytes: number) {
  const parse = json({ limit: limitBytes, verify: refuseInvalidUtf8 });
  return function codecBody(request: Request, response: Response, next: NextFunction): void {
    if (!CODEC_PATHS.has(request.path)) return next();
    parse(request, response, (error?: unknown) => (error ? next(translateBodyError(error, limitBytes)) : next()));
  };
}
