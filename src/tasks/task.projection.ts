import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../events/event.types';
import { InlineProjection, Projection } from '../events/projection';
import type { GoLiveMoved, TaskCompleted, TaskReopened, TransitionPlanned } from '../transitions/transition.events';

type TaskEvent = TransitionPlanned | TaskCompleted | TaskReopened | GoLiveMoved;

/** `transition_tasks`, behind `GET /me/tasks` and the overdue counts. */
@Injectable()
@InlineProjection()
export class TaskProjection implements Projection<TaskEvent> {
  readonly name = 'transition_tasks';
  readonly tables = ['transition_tasks'];
  readonly handles = ['TransitionPlanned', 'TaskCompleted', 'TaskReopened', 'GoLiveMoved'] as const;

  async apply(event: RecordedEvent<TaskEvent>, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'TransitionPlanned': {
        const { transitionId, tasks } = event.data;
        await manager.query(
          `INSERT INTO transition_tasks (transition_id, task_id, title, assignee_role, assignee, due_date, status, last_position)
           SELECT $1, t.id, t.title, t.role, t.assignee, t.due, 'open', $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[]) AS t(id, title, role, assignee, due)
           ON CONFLICT (transition_id, task_id) DO NOTHING`,
          [transitionId, tasks.map((t) => t.id), tasks.map((t) => t.title), tasks.map((t) => t.assigneeRole),
            tasks.map((t) => t.assignee), tasks.map((t) => t.dueDate), event.globalPosition],
        );
        return;
      }
      case 'TaskCompleted':
        await manager.query(
          `UPDATE transition_tasks SET status = 'done', completed_at = $3, completed_by = $4, last_position = $5
           WHERE transition_id = $1 AND task_id = $2 AND last_position < $5`,
          [event.streamId, event.data.taskId, event.recordedAt,
            event.metadata.actor.organisation ?? event.metadata.actor.user, event.globalPosition],
        );
        return;
      case 'TaskReopened':
        await manager.query(
          `UPDATE transition_tasks SET status = 'open', completed_at = NULL, completed_by = NULL, last_position = $3
           WHERE transition_id = $1 AND task_id = $2 AND last_position < $3`,
          [event.streamId, event.data.taskId, event.globalPosition],
        );
        return;
      case 'GoLiveMoved': {
        const { dueDates } = event.data;
        await manager.query(
          `UPDATE transition_tasks t SET due_date = d.due, last_position = $4
           FROM unnest($2::text[], $3::date[]) AS d(id, due)
           WHERE t.transition_id = $1 AND t.task_id = d.id AND t.last_position < $4`,
          [event.streamId, Object.keys(dueDates), Object.values(dueDates), event.globalPosition],
        );
        return;
      }
    }
  }
}
