import { addDays, amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import type { NotificationPolicy, TransitionStatus } from './definitions';

export type AlarmKind = 'task-reminder' | 'escalation' | 'go-live-reminder' | 'go-live-gate' | 'client-transfers-escalation';

export interface Alarm {
  /** Stable for one due date: a fired alarm is never fired again, a moved date gets new ones. */
  key: string;
  at: number;
  kind: AlarmKind;
  taskId?: string;
  daysBefore?: number;
}

const ENDED = ['live', 'closed', 'cancelled'];

/**
 * Every alarm the transition's current state calls for, derived afresh after each change, so
 * moving go-live re-plans reminders, escalations and the gate at once. An alarm whose moment
 * had already passed when its date was (re)planned is left out, except an escalation: a task
 * that is overdue already when go-live moves or it is reopened escalates at the first 09:00 of a
 * business day after that moment. Reminders and escalations fall at 09:00 Europe/Amsterdam on
 * Dutch business days: reminders on the business day on or before the reminder date,
 * escalations on or after the day they are due. Once clients are imported, the coordinator
 * hears of unfinished transfers `clientEscalationBusinessDays` business days before go-live.
 */
export function alarmsFor(status: TransitionStatus, policy: NotificationPolicy, calendar: BusinessCalendar): Alarm[] {
  if (status.state === 'closed' || status.state === 'cancelled') return [];
  const alarms: Alarm[] = [];
  for (const task of status.tasks) {
    if (task.status === 'done') continue;
    for (const daysBefore of policy.reminderOffsetsDays) {
      const at = BusinessCalendar.nineAm(calendar.onOrBefore(addDays(task.dueDate, -daysBefore)));
      if (at > task.plannedAt) {
        alarms.push({ key: `reminder:${task.id}:${task.dueDate}:${daysBefore}`, at, kind: 'task-reminder', taskId: task.id, daysBefore });
      }
    }
    const escalateAt = BusinessCalendar.nineAm(calendar.onOrAfter(addDays(task.dueDate, policy.escalationAfterDays)));
    if (escalateAt > task.plannedAt) {
      alarms.push({ key: `escalation:${task.id}:${task.dueDate}`, at: escalateAt, kind: 'escalation', taskId: task.id });
    } else {
      alarms.push({
        key: `escalation:${task.id}:${task.dueDate}:late:${amsterdamDate(task.plannedAt)}`,
        at: calendar.nextNineAmAfter(task.plannedAt),
        kind: 'escalation',
        taskId: task.id,
      });
    }
  }
  if (!ENDED.includes(status.state)) {
    for (const daysBefore of policy.goLiveReminderOffsetsDays) {
      const at = BusinessCalendar.nineAm(calendar.onOrBefore(addDays(status.plan.goLiveDate, -daysBefore)));
      if (at > status.goLivePlannedAt) {
        alarms.push({ key: `go-live-reminder:${status.plan.goLiveDate}:${daysBefore}`, at, kind: 'go-live-reminder', daysBefore });
      }
    }
    if (status.clients && status.clients.total > 0) {
      const day = calendar.addBusinessDays(status.plan.goLiveDate, -(policy.clientEscalationBusinessDays ?? 10));
      const at = BusinessCalendar.nineAm(day);
      if (at > status.goLivePlannedAt) alarms.push({ key: `client-transfers-escalation:${status.plan.goLiveDate}`, at, kind: 'client-transfers-escalation' });
    }
    if (!status.atRisk) {
      alarms.push({ key: `gate:${status.plan.goLiveDate}`, at: Date.parse(status.plan.goLiveAt), kind: 'go-live-gate' });
    }
  }
  return alarms.sort((a, b) => a.at - b.at);
}
