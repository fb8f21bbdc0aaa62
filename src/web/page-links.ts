import { badCursor } from '../paging/cursor';
import { MAX_LIMIT } from '../paging/page';

/** A page's URL with these query values (empty ones left out), so a paged, filtered view can be bookmarked. */
export function pageLink(path: string, values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(name, String(value));
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * A page's cursor from the query string. A link only ever carries one, as a single value; a
 * repeated or empty one is refused as a bad cursor (the Dutch 400 page), as the list itself
 * refuses one it did not give.
 */
export function cursorParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw badCursor();
  return value;
}

/** Rows per page from `?aantal=`: a whole number from 1 to MAX_LIMIT, else the list's default. */
export function pageSizeParam(query: Record<string, unknown>, name = 'aantal'): number | undefined {
  const value = query[name];
  if (typeof value !== 'string' || !/^[0-9]{1,3}$/.test(value)) return undefined;
  const size = Number(value);
  return size >= 1 && size <= MAX_LIMIT ? size : undefined;
}
