import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import type { TransferStep } from '../../../clients/client.events';
import { nextStepOf } from '../../../clients/next-step';
import type { NotificationResponse } from '../../../notifications/notification.response';
import { notificationsPage } from '../../../notifications/notifications-page';
import { decodeCursor } from '../../../paging/cursor';
import { Page, pageOf } from '../../../paging/page';
import type { MyTaskResponse } from '../../../tasks/my-task.response';
import { myTasksPage } from '../../../tasks/my-tasks';
import { amsterdamToday } from '../../../time/amsterdam';
import { readCacheOf, readKey } from '../../../database/read-cache';
import { bulkActionAt } from './bulk-actions';
import { NOTE_MAX_LENGTH, nextActionLabel, transferSide } from './inbox-labels';
import { inboxPageLinks, InboxPageLinks, InboxView } from './inbox-pages';

/** Client transfers of one handover waiting at one step: a count, never a client. */
export interface InboxTransferGroup {
  transitionId: string;
  step: TransferStep;
  count: number;
  /** What the transfer needs next, in Dutch. */
  nextAction: string;
  /** Whether that is this organisation's move (else the other provider's). */
  yourMove: boolean;
  /** The page of the step's bulk action (see bulk-actions.ts), when it is this organisation's move and the step has one. */
  bulkAction: { title: string; href: string } | null;
}

export interface Inbox {
  tasks: Page<MyTaskResponse>;
  transfers: Page<InboxTransferGroup>;
  notifications: Page<NotificationResponse>;
}

/** What the inbox's content shows: the organisation's lists at the URL's pages, with the links to the others. */
export interface InboxPage extends Inbox {
  pages: InboxPageLinks;
  noteMaxLength: number;
}

/** Rows of each list on a page, unless the URL asks for another number. */
export const INBOX_PAGE_SIZE = 20;

/**
 * The provider's inbox, from read models only, with the same reads as `GET /me/tasks` and
 * `/me/notifications`: a page of its organisation's and consortia's open tasks by due date, its
 * unfinished client transfers counted per handover and step, a page of its notifications.
 */
@Injectable()
export class InboxReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The inbox at the URL's pages: the same for every user of the organisation with the same
   * role, so remembered (ReadCache) until the next commit, and rendered once (see sendPage).
   */
  async page(user: AuthenticatedUser, view: InboxView, today = amsterdamToday()): Promise<InboxPage> {
    const key = readKey('web.inbox', user.role, user.organisation, user.actingFor, view, today);
    return readCacheOf(this.dataSource).read(key, async () => {
      const inbox = await this.inbox(user, view, today);
      const next = { taken: inbox.tasks.nextCursor, clienten: inbox.transfers.nextCursor, meldingen: inbox.notifications.nextCursor };
      return { ...inbox, pages: inboxPageLinks(view, next), noteMaxLength: NOTE_MAX_LENGTH };
    });
  }

  private async inbox(user: AuthenticatedUser, { cursors, pageSize }: InboxView, today: string): Promise<Inbox> {
    const limit = pageSize ?? INBOX_PAGE_SIZE;
    const [tasks, transfers, notifications] = await Promise.all([
      myTasksPage(this.dataSource, { assignees: user.actingFor, status: 'open', transitionId: null, today }, { cursor: cursors.taken, limit }),
      user.role === 'provider' ? this.transferGroups(user, cursors.clienten, limit) : Promise.resolve({ items: [], nextCursor: null }),
      notificationsPage(this.dataSource, { organisations: user.actingFor, kind: null, transitionId: null }, { cursor: cursors.meldingen, limit }),
    ]);
    return { tasks, transfers, notifications };
  }

  /** The title of a task, for the message after completing it. */
  async taskTitle(transitionId: string, taskId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query('SELECT title FROM transition_tasks WHERE transition_id = $1 AND task_id = $2', [
      transitionId,
      taskId,
    ]);
    return row?.title;
  }

  /** A page of the unfinished transfers counted per handover and step, by handover: counts only. */
  private async transferGroups(user: AuthenticatedUser, cursor: string | undefined, limit: number): Promise<Page<InboxTransferGroup>> {
    const after = cursor ? decodeCursor(cursor, TRANSFER_GROUPS, ['text', 'text']) : [null, null];
    const rows: GroupRow[] = await this.dataSource.query(
      `SELECT transition_id AS "transitionId", step, bool_or(outgoing_provider = ANY ($1::text[])) AS outgoing,
              count(*) FILTER (WHERE NOT erased)::int AS count, count(*) FILTER (WHERE erased)::int AS erased
       FROM client_transfers
       WHERE NOT finished AND (outgoing_provider = ANY ($1::text[]) OR incoming_provider = ANY ($1::text[]))
         AND ($2::text IS NULL OR (transition_id, step) > ($2::text, $3::text))
       GROUP BY transition_id, step
       ORDER BY transition_id, step
       LIMIT $4`,
      [user.actingFor, ...after, limit + 1],
    );
    const page = pageOf(rows, limit, TRANSFER_GROUPS, (row) => [row.transitionId, row.step]);
    return { items: page.items.flatMap(groupsOf), nextCursor: page.nextCursor };
  }
}

const TRANSFER_GROUPS = 'web.inbox.transfers';

type GroupRow = { transitionId: string; step: TransferStep; outgoing: boolean; count: number; erased: number };

/** A step's transfers as one group, or two where an erased client's next step differs (it can only be ended). */
function groupsOf(row: GroupRow): InboxTransferGroup[] {
  const next = nextStepOf(row.step, false);
  const nextIfErased = nextStepOf(row.step, true);
  const groups = next?.action === nextIfErased?.action
    ? [group(row, next, row.count + row.erased)]
    : [group(row, next, row.count), group(row, nextIfErased, row.erased)];
  return groups.filter((g): g is InboxTransferGroup => g !== null);
}

function group(row: GroupRow, next: ReturnType<typeof nextStepOf>, count: number): InboxTransferGroup | null {
  if (count === 0 || !next) return null;
  const yourMove = next.by === 'either' || next.by === transferSide(row.outgoing);
  const bulk = yourMove ? bulkActionAt(row.step) : undefined;
  return {
    transitionId: row.transitionId,
    step: row.step,
    count,
    nextAction: nextActionLabel(next.action),
    yourMove,
    bulkAction: bulk ? { title: bulk.title, href: `/taken/clienten/${row.transitionId}/${row.step}` } : null,
  };
}
