import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { isWebPath } from '../web/web-paths';

/** Directives shared by both policies: no framing, no plugins. */
const LOCKED = { frameAncestors: ["'none'"], objectSrc: ["'none'"] };

/**
 * The API answers JSON and CSV only: nothing in them may load, run or be framed.
 */
const api = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], ...LOCKED },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Swagger UI: its HTML loads its scripts and styles from this service (no inline script) and
 * styles itself inline; images include data: URLs. Nothing from elsewhere.
 */
const docs = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      ...LOCKED,
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * The web pages (src/web/): style sheets from this service only, no script at all, forms
 * posting to this service only.
 */
const pages = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      ...LOCKED,
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Security headers on every answer (helmet): nosniff, DENY framing, no referrer, a content
 * security policy (the strict one, the one Swagger UI needs under `docsPath`, or the web pages'), and no
 * X-Powered-By.
 */
export function securityHeaders(docsPath: string) {
  const prefix = `/${docsPath.replace(/^\/+|\/+$/g, '')}`;
  return function securityHeaders(request: Request, response: Response, next: NextFunction): void {
    const underDocs = request.path === prefix || request.path.startsWith(`${prefix}/`);
    (underDocs ? docs : isWebPath(request.path) ? pages : api)(request, response, next);
  };
}
