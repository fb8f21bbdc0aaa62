import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { ASSETS_PREFIX } from './web-paths';

/** The pages' style sheets: NL Design System (Utrecht's components and design tokens) and the site's own few rules. */
const FILES: Record<string, string> = {
  'design-tokens.css': require.resolve('@utrecht/design-tokens/dist/index.css'),
  'component-library.css': require.resolve('@utrecht/component-library-css/dist/index.css'),
  'site.css': join(__dirname, 'assets', 'site.css'),
};

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * A fingerprint of every asset's content, in their paths: a changed file gets a new URL, so a
 * browser may keep each one for a year without asking again.
 */
export const ASSET_VERSION = createHash('sha256')
  .update(Object.values(FILES).map((file) => readFileSync(file)).join('\0'))
  .digest('hex')
  .slice(0, 12);

/** The URL of an asset by its name, e.g. `site.css`. */
export const assetUrl = (name: keyof typeof FILES | string) => `${ASSETS_PREFIX}/${ASSET_VERSION}/${name}`;

const ASSET_PATH = new RegExp(`^${ASSETS_PREFIX}/([0-9a-f]{12})/([a-z-]+\\.css)$`);

/** Serves the assets (GET and HEAD, this version only); anything else under /assets/ falls through to a 404. */
export function webAssets(request: Request, response: Response, next: NextFunction): void {
  const match = ASSET_PATH.exec(request.path);
  if (!match || match[1] !== ASSET_VERSION || !FILES[match[2]] || !['GET', 'HEAD'].includes(request.method)) return next();
  response.setHeader('Cache-Control', `public, max-age=${YEAR_SECONDS}, immutable`);
  response.sendFile(FILES[match[2]], { cacheControl: false, headers: { 'Content-Type': 'text/css; charset=utf-8' } }, (error) => {
    if (error && !response.headersSent) next(error);
  });
}
