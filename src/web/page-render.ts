import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isRemembered } from '../database/read-cache';
import type { PageLocals } from './page-locals';

/** Stands in for the request's CSRF token in a page rendered once: unguessable, and no text on a page holds a NUL. */
const CSRF_HOLE = `\u0000${randomUUID()}\u0000`;

/** A CSRF token as csrf-sync makes them (hex): the same text escaped or not, so it goes into a hole as it is. */
const PLAIN_TOKEN = /^[0-9a-f]+$/;

/** Pages rendered from a remembered view model: per layout variant (template, role, organisation, path), the page's bytes around the CSRF holes. */
const rendered = new WeakMap<object, Map<string, readonly Buffer[]>>();

/**
 * Renders a page from its view model (`page`, the template's variables) and the layout's
 * per-request locals, and sends it (text/html, no ETag: pages are never stored). A model the
 * ReadCache remembered is the same for everyone it is answered to until the next commit, and
 * the layout shows only the user's role and organisation, so the page is rendered once per
 * model and layout variant, with a hole wherever a form carries the CSRF token, and sent again
 * with the request's own token in the holes. A page with a message (flash) or any other model
 * (one showing a refusal) is rendered for its request alone.
 */
export async function sendPage(response: Response, template: string, locals: PageLocals, page: object, status: number = HttpStatus.OK): Promise<void> {
  const once = isRemembered(page as unknown) && !locals.flash && PLAIN_TOKEN.test(locals.csrfToken);
  const body = once
    ? withToken(await renderedOnce(response, template, locals, page), locals.csrfToken)
    : Buffer.from(await renderHtml(response, template, { ...page, ...locals }), 'utf8');
  response.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Content-Length', body.length);
  response.end(body);
}

async function renderedOnce(response: Response, template: string, locals: PageLocals, page: object): Promise<readonly Buffer[]> {
  const variant = JSON.stringify([template, locals.user?.role ?? null, locals.user?.organisation ?? null, locals.path]);
  let variants = rendered.get(page);
  if (!variants) rendered.set(page, (variants = new Map()));
  let parts = variants.get(variant);
  if (!parts) {
    const html = await renderHtml(response, template, { ...page, ...locals, csrfToken: CSRF_HOLE });
    parts = html.split(CSRF_HOLE).map((part) => Buffer.from(part, 'utf8'));
    variants.set(variant, parts);
  }
  return parts;
}

function withToken(parts: readonly Buffer[], csrfToken: string): Buffer {
  const token = Buffer.from(csrfToken, 'latin1');
  return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [token, part])));
}

function renderHtml(response: Response, template: string, variables: object): Promise<string> {
  return new Promise((resolve, reject) => response.render(template, variables, (error: Error | null, html: string) => (error ? reject(error) : resolve(html))));
}
