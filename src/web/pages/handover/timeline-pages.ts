/** One event of a handover's timeline, as TransitionsService.detail returns it. */
export interface TimelineEvent {
  at: string | Date;
  type: string;
  actor?: unknown;
  data?: unknown;
}

export interface TimelinePage<T> {
  events: T[];
  /** For the "Oudere gebeurtenissen" link (`?ouder=<cursor>`); null on the last page. */
  olderCursor: string | null;
}

export const TIMELINE_PAGE_SIZE = 20;

/**
 * A page of the timeline, newest first. The cursor is the number of newer events already shown;
 * kept in this one file so the page can switch to a paged read model without touching the rest.
 */
export function timelinePage<T>(timeline: readonly T[], cursor: unknown, size = TIMELINE_PAGE_SIZE): TimelinePage<T> {
  const skip = typeof cursor === 'string' && /^\d{1,9}$/.test(cursor) ? Number(cursor) : 0;
  const newestFirst = [...timeline].reverse();
  const events = newestFirst.slice(skip, skip + size);
  return { events, olderCursor: skip + size < newestFirst.length ? String(skip + size) : null };
}
