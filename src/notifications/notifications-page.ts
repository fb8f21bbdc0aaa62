import type { DataSource } from 'typeorm';
import { readCacheOf, readKey } from '../database/read-cache';
import { decodeCursor } from '../paging/cursor';
import { DEFAULT_LIMIT, Page, pageOf } from '../paging/page';
import type { NotificationResponse } from './notification.response';
import type { NotificationKind } from './notification.types';

const KIND = 'me.notifications';

export interface NotificationFilters {
  /** The organisations the caller acts for. */
  organisations: string[];
  kind: NotificationKind | null;
  transitionId: string | null;
}

/**
 * A page of the inbox, newest first (ties by id). The cursor keeps the creation time to the
 * microsecond, PostgreSQL's precision, so rows created in the same millisecond are not skipped.
 */
export function notificationsPage(
  dataSource: DataSource,
  filters: NotificationFilters,
  page: { cursor?: string; limit?: number },
): Promise<Page<NotificationResponse>> {
  // Remembered until the next commit (see ReadCache), keyed by the filters (the caller's organisations among them) and the page.
  const key = readKey('me.notifications', filters, page.cursor ?? null, page.limit ?? null);
  return readCacheOf(dataSource).read(key, () => readPage(dataSource, filters, page));
}

async function readPage(dataSource: DataSource, filters: NotificationFilters, page: { cursor?: string; limit?: number }): Promise<Page<NotificationResponse>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const after = page.cursor ? decodeCursor(page.cursor, KIND, ['timestamp', 'text']) : [null, null];
  const rows: Array<NotificationResponse & { sortAt: string }> = await dataSource.query(
    `SELECT id, organisation, kind, subject, body, transition_id AS "transitionId", created_at AS "createdAt",
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortAt"
     FROM notifications
     WHERE organisation = ANY($1::text[]) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR transition_id = $3)
       AND ($5::timestamptz IS NULL OR created_at < $5 OR (created_at = $5 AND id > $6))
     ORDER BY created_at DESC, id
     LIMIT $4`,
    [filters.organisations, filters.kind, filters.transitionId, limit + 1, ...after],
  );
  return pageOf(rows, limit, KIND, (row) => [row.sortAt, row.id], ({ sortAt: _, ...item }) => item);
}
