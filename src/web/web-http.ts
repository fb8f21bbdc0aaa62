import { ForbiddenException, INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { csrfSync } from 'csrf-sync';
import type { Express, RequestHandler } from 'express';
import session from 'express-session';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { endSession, sessionIdentityOf } from '../auth/session-identity';
import { CODEC_PATHS } from '../codec/codec-cors';
import { CAMPAIGN_STATE_LABELS, dutchDate, STATE_LABELS } from './dutch-labels';
import { CSRF_REFUSED } from './errors/error-pages';
import { countdownText } from './pages/overview/countdown';
import { pastAbsoluteExpiry, sessionLifetimes } from './session/session-expiry';
import { WebSessionStore } from './session/web-session-store';
import { assetUrl } from './web-assets';
import { isWebPage } from './web-paths';

/** The session cookie: `__Host-` where it is Secure (the browser then insists on Secure, path / and no domain). */
const COOKIE = 'overdracht_sessie';
const SECURE_COOKIE = `__Host-${COOKIE}`;

/** Only for web pages: the others (the JSON API, assets) pass on untouched. */
const onPages =
  (middleware: RequestHandler): RequestHandler =>
  (request, response, next) =>
    isWebPage(request.path) ? middleware(request, response, next) : next();

/** For web pages and the codec routes, which the Temporal Web UI calls with an operator's session cookie. */
const onPagesAndCodec =
  (middleware: RequestHandler): RequestHandler =>
  (request, response, next) =>
    isWebPage(request.path) || CODEC_PATHS.has(request.path) ? middleware(request, response, next) : next();

/**
 * The pages' views (Nunjucks, escaping everything by default) and whatever the views share:
 * the URLs of the style sheets and the Dutch words for states and dates.
 */
export function configureViews(app: INestApplication): void {
  const express = (app as NestExpressApplication).getHttpAdapter().getInstance() as Express;
  const views = nunjucks.configure(join(__dirname, 'views'), { autoescape: true, express, throwOnUndefined: false });
  views.addGlobal('assetUrl', assetUrl);
  views.addGlobal('dutchDate', dutchDate);
  views.addGlobal('countdownText', countdownText);
  views.addGlobal('stateLabels', STATE_LABELS);
  views.addGlobal('campaignStateLabels', CAMPAIGN_STATE_LABELS);
  express.set('view engine', 'njk');
}

/**
 * Sessions and CSRF protection for the web pages, after the body parsers: a session lives in
 * PostgreSQL (WebSessionStore) behind an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS
 * when TRUST_PROXY), ends after WEB_SESSION_IDLE_MINUTES without a request and
 * WEB_SESSION_ABSOLUTE_HOURS after signing in; every form POST needs the session's CSRF token.
 * The codec routes read the session too (no CSRF token there: they take JSON only, from the
 * Temporal Web UI's origins only).
 */
export function webSessions(app: INestApplication): RequestHandler[] {
  const config = app.get(ConfigService);
  const lifetimes = sessionLifetimes(
    config.getOrThrow<number>('WEB_SESSION_IDLE_MINUTES'),
    config.getOrThrow<number>('WEB_SESSION_ABSOLUTE_HOURS'),
  );
  const behindHttps = config.getOrThrow<boolean>('TRUST_PROXY');
  if (behindHttps) ((app as NestExpressApplication).getHttpAdapter().getInstance() as Express).set('trust proxy', 1);
  const sessions = session({
    name: behindHttps ? SECURE_COOKIE : COOKIE,
    secret: cookieSecret(config),
    store: app.get(WebSessionStore).store,
    resave: false,
    saveUninitialized: false,
    // Every request moves the idle expiry on (the cookie's and the stored row's).
    rolling: true,
    proxy: behindHttps,
    cookie: { httpOnly: true, sameSite: 'strict', secure: behindHttps, path: '/', maxAge: lifetimes.idleMs },
  });
  const absoluteExpiry: RequestHandler = (request, _response, next) => {
    const identity = sessionIdentityOf(request);
    if (!identity || !pastAbsoluteExpiry(identity.signedInAt, Date.now(), lifetimes)) return next();
    endSession(request).then(() => next(), next);
  };
  const { csrfSynchronisedProtection } = csrfSync({ getTokenFromRequest: (request) => request.body?._csrf });
  const csrf: RequestHandler = (request, response, next) =>
    csrfSynchronisedProtection(request, response, (error?: unknown) => next(error ? new ForbiddenException(CSRF_REFUSED) : undefined));
  return [onPagesAndCodec(sessions), onPagesAndCodec(absoluteExpiry), onPages(csrf)];
}

/**
 * Signs the session cookie. Derived from the payload key, which every process of a deployment
 * shares (so any of them reads any session); without one (a test's module), a random one.
 */
function cookieSecret(config: ConfigService): string {
  const key = config.get<string>('PAYLOAD_ENCRYPTION_KEY') ?? process.env.PAYLOAD_ENCRYPTION_KEY;
  if (!key) return randomBytes(32).toString('hex');
  return createHmac('sha256', Buffer.from(key, 'base64')).update('overdracht web session cookie').digest('hex');
}
