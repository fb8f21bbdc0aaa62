import { UnsupportedMediaTypeException } from '@nestjs/common';
import { raw } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { hasBody } from './content-type';
import { translateBodyError } from './request-edge';

/** A route whose body is a file, read as bytes: its own media types and size limit. */
export interface RawBodyRoute {
  method: 'POST';
  path: RegExp;
  mediaTypes: readonly string[];
  limitBytes: number;
  rule: string;
}

const MIB = 1024 * 1024;

/** Every route that takes a file instead of JSON. */
export const RAW_BODY_ROUTES: readonly RawBodyRoute[] = [
  {
    method: 'POST',
    path: /^\/transitions\/[^/]+\/clients\/import$/,
    mediaTypes: ['text/csv'],
    limitBytes: 20 * MIB,
    rule: 'Content-Type must be text/csv: the client list as Dutch Excel saves it (separator ;)',
  },
  {
    method: 'POST',
    path: /^\/transitions\/[^/]+\/audiences\/(?:addresses|subscribers)$/,
    mediaTypes: ['text/csv'],
    limitBytes: 20 * MIB,
    rule: 'Content-Type must be text/csv: the list as Dutch Excel saves it (separator ;)',
  },
  {
    method: 'POST',
    path: /^\/clients\/[^/]+\/file$/,
    mediaTypes: ['application/pdf', 'application/zip'],
    limitBytes: 25 * MIB,
    rule: 'Content-Type must be application/pdf or application/zip',
  },
];

export function rawBodyRouteOf(method: string, path: string): RawBodyRoute | undefined {
  return RAW_BODY_ROUTES.find((route) => route.method === method && route.path.test(path));
}

/** The media type of a Content-Type header, lower case, without its parameters. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase() || undefined;
}

/**
 * Reads the body of a file route as bytes (up to its own limit), after checking its media type
 * (415 naming the allowed ones). Other routes pass on to the JSON parser.
 */
export function rawBodies() {
  const parsers = new Map(RAW_BODY_ROUTES.map((route) => [route, raw({ type: () => true, limit: route.limitBytes })]));
  return (request: Request, response: Response, next: NextFunction): void => {
    const route = rawBodyRouteOf(request.method, request.path);
    if (!route) return next();
    // Neither a body nor a type: nothing to read; the route answers (after authentication) that it wants a file.
    if (request.headers['content-type'] === undefined && !hasBody(request.headers)) return next();
    if (!route.mediaTypes.includes(mediaTypeOf(request.headers['content-type']) ?? '')) {
      return next(new UnsupportedMediaTypeException(route.rule));
    }
    parsers.get(route)!(request, response, (error?: unknown) => (error ? next(translateBodyError(error, route.limitBytes)) : next()));
  };
}
