import type { NotificationRequest } from './notification.types';

export interface Message {
  subject: string;
  body: string;
}

/** What the recipient of a stall reminder is to do next. */
const STALLED_STEP: Record<string, string> = {
  informed: "record the client's answer to the consent request",
  'consent-given': "transfer the client's file",
  'file-transferred': 'plan the intake',
};

/** The words of a notification, for the inbox and the e-mail alike. */
export function messageFor(request: NotificationRequest): Message {
  const { transitionId } = request;
  switch (request.kind) {
    case 'task-reminder':
      return {
        subject: `Reminder: "${request.task.title}" is due on ${request.task.dueDate}`,
        body: `Task ${request.task.id} of ${transitionId} is due in ${request.daysBefore} day(s), on ${request.task.dueDate}.`,
      };
    case 'escalation':
      return {
        subject: `Overdue: "${request.task.title}" (${request.task.assignee}) was due on ${request.task.dueDate}`,
        body: `Task ${request.task.id} of ${transitionId}, assigned to ${request.task.assignee}, is not done.`,
      };
    case 'go-live-reminder':
      return {
        subject: `Go-live of ${transitionId} in ${request.daysBefore} day(s), on ${request.goLiveDate}`,
        body: `Open tasks: ${request.openTasks}.`,
      };
    case 'go-live-gate':
      return {
        subject: `At risk: ${transitionId} cannot go live on ${request.goLiveDate}`,
        body:
          `Mandatory milestones not met: ${request.unmetMilestones.join(', ')}. ` +
          'Decide: go anyway (with a reason) or move the go-live date.',
      };
    case 'transfer-stalled':
      return {
        subject: `Client transfer ${request.pseudonym} waits for you: ${STALLED_STEP[request.step] ?? request.step}`,
        body:
          `The transfer of client ${request.pseudonym} (${transitionId}) has been at step "${request.step}" since ${request.since}. ` +
          `Next: ${STALLED_STEP[request.step] ?? 'the next step'}.`,
      };
    case 'client-transfers-escalation':
      return {
        subject: `${request.openTransfers} of ${request.totalTransfers} client transfers of ${transitionId} are not finished`,
        body:
          `Go-live is on ${request.goLiveDate}. ${request.openTransfers} client transfer(s) are not accepted, declined or ended yet; ` +
          'at go-live they put the handover at risk.',
      };
    case 'campaign-behind-schedule':
      return {
        subject:
          request.reason === 'deadline-passed'
            ? `Resident campaign of ${transitionId} missed its deadline of ${request.deadline}`
            : `Resident campaign of ${transitionId} will miss its deadline of ${request.deadline}`,
        body:
          `Campaign ${request.campaignId}: ${request.remaining} recipient(s) are not informed yet` +
          (request.projectedFinish ? `; at the measured pace it finishes at ${request.projectedFinish}. ` : '. ') +
          'The handover is at risk until every resident is informed.',
      };
    case 'readiness-late':
      return {
        subject: `At this pace ${transitionId} will not be ready for go-live on ${request.goLiveDate}`,
        body:
          request.readyDate === null
            ? 'In at least one part (tasks, client transfers, resident campaign) nothing was done in the last weeks, and go-live is near: ' +
              'the ready date is unknown.'
            : `At the pace of the last weeks it is ready on ${request.readyDate}, ` +
              (request.daysLate ? `${request.daysLate} day(s) after go-live. ` : 'the day of go-live itself. ') +
              'See its readiness forecast.',
      };
  }
}
