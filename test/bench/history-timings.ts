import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where one update's time went inside Temporal, from the event times of its workflow's history (ms). */
export interface UpdateTimings {
  /** The update's name as the client sent it (not encrypted: only its arguments are). */
  name: string;
  /**
   * From the workflow task that delivered the update being scheduled (or, for an
   * update-with-start, the workflow starting) to the update completed.
   */
  inWorkflow: number;
  activities: number;
  /** Activities' start to completion: the activity code, plus the worker's round trip. */
  activityRun: number;
  /** Activities' scheduling to their start: matching to a polling worker. */
  activityDispatch: number;
  workflowTasks: number;
  /** Workflow tasks' start to completion: the workflow code, plus the worker's round trip. */
  workflowTaskRun: number;
  /** Workflow tasks' scheduling to their start. */
  workflowTaskDispatch: number;
}

const ms = (event: HistoryEvent | undefined) =>
  event?.eventTime ? Number(event.eventTime.seconds ?? 0) * 1000 + (event.eventTime.nanos ?? 0) / 1e6 : NaN;
const id = (value: unknown) => Number(value ?? 0);

/**
 * Every accepted update of a workflow, in the order they were accepted, with the timings of the
 * workflow tasks and activities between its delivery and its completion. Assumes the updates of
 * one workflow did not overlap (the benchmark sends them one after the other).
 */
export function updateTimings(events: HistoryEvent[]): UpdateTimings[] {
  const byId = new Map(events.map((event) => [id(event.eventId), event]));
  const result: UpdateTimings[] = [];
  for (const completed of events) {
    const attributes = completed.workflowExecutionUpdateCompletedEventAttributes;
    if (!attributes) continue;
    const accepted = byId.get(id(attributes.acceptedEventId));
    if (!accepted) continue;
    const acceptedAt = events.indexOf(accepted);
    // The workflow task that ran the validator: the last one scheduled before the acceptance.
    let firstIndex = acceptedAt;
    while (firstIndex > 0 && !events[firstIndex].workflowTaskScheduledEventAttributes && !events[firstIndex].workflowExecutionStartedEventAttributes) {
      firstIndex--;
    }
    const window = events.slice(firstIndex, events.indexOf(completed) + 1);
    const timings: UpdateTimings = {
      name: accepted.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '?',
      inWorkflow: ms(completed) - ms(events[firstIndex]),
      activities: 0,
      activityRun: 0,
      activityDispatch: 0,
      workflowTasks: 0,
      workflowTaskRun: 0,
      workflowTaskDispatch: 0,
    };
    for (const event of window) {
      const activityDone = event.activityTaskCompletedEventAttributes;
      if (activityDone) {
        const started = byId.get(id(activityDone.startedEventId));
        const scheduled = byId.get(id(activityDone.scheduledEventId));
        timings.activities++;
        timings.activityRun += ms(event) - ms(started);
        timings.activityDispatch += ms(started) - ms(scheduled);
      }
      const taskDone = event.workflowTaskCompletedEventAttributes;
      if (taskDone) {
        const started = byId.get(id(taskDone.startedEventId));
        const scheduled = byId.get(id(taskDone.scheduledEventId));
        timings.workflowTasks++;
        timings.workflowTaskRun += ms(event) - ms(started);
        timings.workflowTaskDispatch += ms(started) - ms(scheduled);
      }
    }
    result.push(timings);
  }
  return result;
}
