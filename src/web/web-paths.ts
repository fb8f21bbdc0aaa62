/** Where the web pages' static files are served (with a version in the path, cached for a year). */
export const ASSETS_PREFIX = '/assets';

/** The pages' paths (Dutch); everything else is the JSON API, which keeps its own rules. */
const PAGE_PATHS: ReadonlySet<string> = new Set(['/', '/inloggen', '/uitloggen', '/toegankelijkheid', '/taken', '/beheer']);
const PAGE_PREFIXES = ['/taken/', '/overdrachten/'];

/** Whether a request path is a web page (session, forms, HTML errors) rather than the API. */
export function isWebPage(path: string): boolean {
  return PAGE_PATHS.has(path) || PAGE_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export function isAsset(path: string): boolean {
  return path.startsWith(`${ASSETS_PREFIX}/`);
}

/** A page or one of its static files: these get the pages' security headers. */
export function isWebPath(path: string): boolean {
  return isWebPage(path) || isAsset(path);
}
