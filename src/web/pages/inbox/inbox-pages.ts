import { cursorParam, pageLink, pageSizeParam } from '../../page-links';

/** The inbox's lists, each paged on its own, named as the URL names their cursors. */
export const INBOX_LISTS = ['taken', 'clienten', 'meldingen'] as const;
export type InboxList = (typeof INBOX_LISTS)[number];

/** Which page of each list the URL asks for, and how many rows a page. */
export interface InboxView {
  cursors: Partial<Record<InboxList, string>>;
  pageSize?: number;
}

export interface InboxPageLinks {
  next: Record<InboxList, string | null>;
  /** Back to the list's first page; null when it is on it. */
  first: Record<InboxList, string | null>;
  /** The current view's query, for a task's form: a refusal is shown on the page the form was on. */
  here: string;
}

/** The view of `/taken?taken=&clienten=&meldingen=&aantal=`; a cursor that is not a single value is refused (400). */
export function inboxView(query: Record<string, unknown>): InboxView {
  const cursors: InboxView['cursors'] = {};
  for (const list of INBOX_LISTS) {
    const cursor = cursorParam(query, list);
    if (cursor !== undefined) cursors[list] = cursor;
  }
  return { cursors, pageSize: pageSizeParam(query) };
}

/** Each list's next and first page; moving one keeps the others' pages (and the page size). */
export function inboxPageLinks(view: InboxView, next: Record<InboxList, string | null>): InboxPageLinks {
  const link = (cursors: Partial<Record<InboxList, string>>) => pageLink('/taken', { ...cursors, aantal: view.pageSize });
  const links: InboxPageLinks = { next: { taken: null, clienten: null, meldingen: null }, first: { taken: null, clienten: null, meldingen: null }, here: '' };
  for (const list of INBOX_LISTS) {
    if (next[list]) links.next[list] = link({ ...view.cursors, [list]: next[list] });
    if (view.cursors[list]) links.first[list] = link({ ...view.cursors, [list]: undefined });
  }
  links.here = link(view.cursors).slice('/taken'.length);
  return links;
}
