import { pageLink } from '../../page-links';
import type { InboxPageRequest } from './inbox-reads';

/** The inbox's page links, each list paged on its own: moving one keeps the other's page (and the page size). */
export interface InboxPageLinks {
  tasksNext: string | null;
  tasksFirst: string | null;
  notificationsNext: string | null;
  notificationsFirst: string | null;
  /** The current view's query, for a task's form: a refusal is shown on the page the form was on. */
  here: string;
}

export function inboxPageLinks(view: InboxPageRequest, tasksNext: string | null, notificationsNext: string | null): InboxPageLinks {
  const link = (taken: string | undefined, meldingen: string | undefined) => pageLink('/taken', { taken, meldingen, aantal: view.pageSize });
  return {
    tasksNext: tasksNext ? link(tasksNext, view.notificationsCursor) : null,
    tasksFirst: view.tasksCursor ? link(undefined, view.notificationsCursor) : null,
    notificationsNext: notificationsNext ? link(view.tasksCursor, notificationsNext) : null,
    notificationsFirst: view.notificationsCursor ? link(view.tasksCursor, undefined) : null,
    here: link(view.tasksCursor, view.notificationsCursor).slice('/taken'.length),
  };
}
