import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import type { TransferStep } from '../../../clients/client.events';
import { nextStepOf } from '../../../clients/next-step';
import { amsterdamToday } from '../../../time/amsterdam';
import { nextActionLabel, transferSide } from './inbox-labels';

export interface InboxTask {
  transitionId: string;
  taskId: string;
  title: string;
  assignee: string;
  dueDate: string;
  overdue: boolean;
}

/** Client transfers of one handover waiting at one step: a count, never a client. */
export interface InboxTransferGroup {
  transitionId: string;
  step: TransferStep;
  count: number;
  /** What the transfer needs next, in Dutch. */
  nextAction: string;
  /** Whether that is this organisation's move (else the other provider's). */
  yourMove: boolean;
}

export interface InboxNotification {
  subject: string;
  transitionId: string;
  createdAt: Date;
}

export interface Inbox {
  tasks: InboxTask[];
  transfers: InboxTransferGroup[];
  notifications: InboxNotification[];
}

/** Notifications shown on the page: the latest. */
const NOTIFICATIONS_SHOWN = 20;

/**
 * The provider's inbox, from read models only (the rules of `GET /me/tasks`, `/me/notifications`
 * and `/clients`): its organisation's and consortia's open tasks by due date, its unfinished
 * client transfers counted per handover and step, its latest notifications.
 */
@Injectable()
export class InboxReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async inbox(user: AuthenticatedUser, today = amsterdamToday()): Promise<Inbox> {
    const [tasks, transfers, notifications] = await Promise.all([
      this.dataSource.query(
        `SELECT transition_id AS "transitionId", task_id AS "taskId", title, assignee, to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
                due_date < $2 AS overdue
         FROM transition_tasks WHERE assignee = ANY ($1::text[]) AND status = 'open'
         ORDER BY due_date, transition_id, task_id`,
        [user.actingFor, today],
      ),
      user.role === 'provider' ? this.transferGroups(user) : Promise.resolve([]),
      this.dataSource.query(
        `SELECT subject, transition_id AS "transitionId", created_at AS "createdAt"
         FROM notifications WHERE organisation = ANY ($1::text[]) ORDER BY created_at DESC, id LIMIT ${NOTIFICATIONS_SHOWN}`,
        [user.actingFor],
      ),
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
      const side = transferSide(row.outgoing);
      return [{ transitionId: row.transitionId, step: row.step, count: row.count, nextAction: nextActionLabel(next.action), yourMove: next.by === 'either' || next.by === side }];
    });
  }
}
