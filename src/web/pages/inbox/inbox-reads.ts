import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import type { TransferStep } from '../../../clients/client.events';
import { nextStepOf } from '../../../clients/next-step';
import type { NotificationResponse } from '../../../notifications/notification.response';
import { notificationsPage } from '../../../notifications/notifications-page';
import type { Page } from '../../../paging/page';
import type { MyTaskResponse } from '../../../tasks/my-task.response';
import { myTasksPage } from '../../../tasks/my-tasks';
import { amsterdamToday } from '../../../time/amsterdam';
import { bulkActionAt } from './bulk-actions';
import { nextActionLabel, transferSide } from './inbox-labels';

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

export interface InboxPageRequest {
  /** Where each list's page starts (its nextCursor from the page before); the first page without one. */
  tasksCursor?: string;
  notificationsCursor?: string;
  pageSize?: number;
}

export interface Inbox {
  tasks: Page<MyTaskResponse>;
  transfers: InboxTransferGroup[];
  notifications: Page<NotificationResponse>;
}

/** Tasks and notifications on a page, unless the URL asks for another number. */
export const INBOX_PAGE_SIZE = 20;

/**
 * The provider's inbox, from read models only, with the same reads as `GET /me/tasks` and
 * `/me/notifications`: a page of its organisation's and consortia's open tasks by due date, its
 * unfinished client transfers counted per handover and step, a page of its notifications.
 */
@Injectable()
export class InboxReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async inbox(user: AuthenticatedUser, request: InboxPageRequest, today = amsterdamToday()): Promise<Inbox> {
    const limit = request.pageSize ?? INBOX_PAGE_SIZE;
    const [tasks, transfers, notifications] = await Promise.all([
      myTasksPage(this.dataSource, { assignees: user.actingFor, status: 'open', transitionId: null, today }, { cursor: request.tasksCursor, limit }),
      user.role === 'provider' ? this.transferGroups(user) : Promise.resolve([]),
      notificationsPage(this.dataSource, { organisations: user.actingFor, kind: null, transitionId: null }, { cursor: request.notificationsCursor, limit }),
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

  private async transferGroups(user: AuthenticatedUser): Promise<InboxTransferGroup[]> {
    const rows: Array<{ transitionId: string; step: TransferStep; erased: boolean; outgoing: boolean; count: number }> =
      await this.dataSource.query(
        `SELECT transition_id AS "transitionId", step, erased, outgoing_provider = ANY ($1::text[]) AS outgoing, count(*)::int AS count
         FROM client_transfers
         WHERE NOT finished AND (outgoing_provider = ANY ($1::text[]) OR incoming_provider = ANY ($1::text[]))
         GROUP BY transition_id, step, erased, outgoing_provider = ANY ($1::text[])
         ORDER BY transition_id, step`,
        [user.actingFor],
      );
    return rows.flatMap((row) => {
      const next = nextStepOf(row.step, row.erased);
      if (!next) return [];
      const yourMove = next.by === 'either' || next.by === transferSide(row.outgoing);
      const bulk = yourMove ? bulkActionAt(row.step) : undefined;
      return [{
        transitionId: row.transitionId,
        step: row.step,
        count: row.count,
        nextAction: nextActionLabel(next.action),
        yourMove,
        bulkAction: bulk ? { title: bulk.title, href: `/taken/clienten/${row.transitionId}/${row.step}` } : null,
      }];
    });
  }
}
