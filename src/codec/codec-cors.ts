import { ForbiddenException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The routes the Temporal Web UI calls from the browser (POST only). */
export const CODEC_PATHS: ReadonlySet<string> = new Set(['/codec/decode']);

/**
 * What the UI sends: JSON, the namespace, and (with "pass access token") the bearer token;
 * `authorization-extras` carries the UI's own ID token alongside it and is ignored here.
 */
const ALLOWED_HEADERS = ['authorization', 'authorization-extras', 'content-type', 'x-namespace'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export const ORIGIN_REFUSED = 'Origin is not allowed to call the codec endpoint (see TEMPORAL_UI_ORIGINS)';
export const PREFLIGHT_REFUSED = `a preflight may ask for POST with the headers ${ALLOWED_HEADERS.join(', ')} only`;

/** TEMPORAL_UI_ORIGINS as a set of origins; none when unset. */
export function parseOrigins(value: string | undefined): ReadonlySet<string> {
  return new Set((value ?? '').split(',').map((origin) => origin.trim().toLowerCase()).filter(Boolean));
}

/** Whether a preflight asks only for what the codec route takes. */
export function preflightFits(method: string | undefined, headers: string | undefined): boolean {
  if (method !== 'POST') return false;
  const asked = (headers ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  return asked.every((name) => ALLOWED_HEADERS.includes(name));
}

/**
 * CORS for the codec routes only, for the Temporal Web UI's origins only: a preflight from one
 * of them is answered here (204); a request from any other origin is refused (403) before it is
 * read, so a page elsewhere cannot make the service decode with a token it got hold of. A request
 * without Origin (curl, the Temporal CLI) is no browser's and passes. Credentials are allowed
 * for those origins: the UI's "include cross-origin credentials" sends an operator's web session
 * cookie (see SessionOrBearer), which works where the UI and this service share a site.
 */
export function codecCors(allowedOrigins: ReadonlySet<string>) {
  return function codecCors(request: Request, response: Response, next: NextFunction): void {
    if (!CODEC_PATHS.has(request.path)) return next();
    response.vary('Origin');
    const origin = request.headers.origin;
    if (origin === undefined) return next();
    if (!allowedOrigins.has(origin.toLowerCase())) return next(new ForbiddenException(ORIGIN_REFUSED));
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    if (request.method !== 'OPTIONS') return next();
    const method = request.headers['access-control-request-method'];
    const headers = request.headers['access-control-request-headers'];
    if (!preflightFits(typeof method === 'string' ? method : undefined, typeof headers === 'string' ? headers : undefined)) {
      return next(new ForbiddenException(PREFLIGHT_REFUSED));
    }
    response.setHeader('Access-Control-Allow-Methods', 'POST');
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
    response.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    response.status(204).end();
  };
}
