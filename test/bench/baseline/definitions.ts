import { defineUpdate } from '@temporalio/workflow';

/** The baseline's workflow type and task queue: nothing of Overdracht's. */
export const BARE_WORKFLOW = 'bareWorkflow';
export const BARE_TASK_QUEUE = 'bench-baseline';

/** Returns at once: the least an update (or an update-with-start) can cost. */
export const bareUpdate = defineUpdate<string>('bareUpdate');
/** Calls one no-op activity, then returns: the least a command that records something can cost. */
export const updateWithActivity = defineUpdate<string>('updateWithActivity');
