import type { DataSource } from 'typeorm';
import { readCacheOf, readKey } from '../database/read-cache';
import { decodeCursor } from '../paging/cursor';
import { DEFAULT_LIMIT, Page, pageOf } from '../paging/page';
import type { MyTaskResponse } from './my-task.response';

const KIND = 'me.tasks';

export interface MyTaskFilters {
  /** The organisations the caller acts for. */
  assignees: string[];
  status: 'open' | 'done' | null;
  transitionId: string | null;
  /** Today in Europe/Amsterdam: what is overdue. */
  today: string;
}

/**
 * A page of tasks from the transition_tasks read model, by due date (then handover and task);
 * remembered until the next commit (see ReadCache), keyed by the filters (the organisations the
 * caller acts for among them) and the page.
 */
export function myTasksPage(
  dataSource: DataSource,
  filters: MyTaskFilters,
  page: { cursor?: string; limit?: number },
): Promise<Page<MyTaskResponse>> {
  const key = readKey('me.tasks', filters, page.cursor ?? null, page.limit ?? null);
  return readCacheOf(dataSource).read(key, () => readPage(dataSource, filters, page));
}

async function readPage(dataSource: DataSource, filters: MyTaskFilters, page: { cursor?: string; limit?: number }): Promise<Page<MyTaskResponse>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const after = page.cursor ? decodeCursor(page.cursor, KIND, ['date', 'text', 'text']) : [null, null, null];
  const rows: MyTaskResponse[] = await dataSource.query(
    `SELECT transition_id AS "transitionId", task_id AS "taskId", title, assignee, assignee_role AS "assigneeRole",
            to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, completed_at AS "completedAt",
            (status = 'open' AND due_date < $4) AS overdue
     FROM transition_tasks
     WHERE assignee = ANY($1::text[]) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR transition_id = $3)
       AND ($6::date IS NULL OR (due_date, transition_id, task_id) > ($6::date, $7::text, $8::text))
     ORDER BY due_date, transition_id, task_id
     LIMIT $5`,
    [filters.assignees, filters.status, filters.transitionId, filters.today, limit + 1, ...after],
  );
  return pageOf(rows, limit, KIND, (row) => [row.dueDate, row.transitionId, row.taskId]);
}
