import type { DataSource } from 'typeorm';
import type { Actor } from '../../events/event.types';
import { decodeCursor } from '../../paging/cursor';
import { DEFAULT_LIMIT, Page, pageOf } from '../../paging/page';

export interface TimelineEntry {
  streamVersion: number;
  at: Date;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

/** A cursor belongs to one handover's timeline: another's is refused. */
const kindOf = (transitionId: string) => `timeline:${transitionId}`;

/** A page of a handover's timeline from its audit trail, newest first (by stream version, an index read). */
export async function timelinePage(
  dataSource: DataSource,
  transitionId: string,
  page: { cursor?: string; limit?: number },
): Promise<Page<TimelineEntry>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const before = page.cursor ? decodeCursor(page.cursor, kindOf(transitionId), ['int'])[0] : null;
  const rows: TimelineEntry[] = await dataSource.query(
    `SELECT stream_version AS "streamVersion", recorded_at AS at, type, metadata->'actor' AS actor, data
     FROM events WHERE stream_id = $1 AND ($2::int IS NULL OR stream_version < $2)
     ORDER BY stream_version DESC LIMIT $3`,
    [transitionId, before, limit + 1],
  );
  return pageOf(rows, limit, kindOf(transitionId), (row) => [row.streamVersion]);
}
