import { encodeCursor } from './cursor';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** A page of a list: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cuts a page from rows fetched with `limit + 1`: the extra row only says there is a next page,
 * whose cursor is the sort key of this page's last item.
 */
export function pageOf<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  kind: string,
  keyOf: (row: Row) => ReadonlyArray<string | number>,
  toItem: (row: Row) => Item = (row) => row as unknown as Item,
): Page<Item> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(toItem), nextCursor: more ? encodeCursor(kind, keyOf(items[items.length - 1])) : null };
}
