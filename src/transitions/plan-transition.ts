import { addDays } from '../time/calendar';
import type { NotificationPolicy, TransitionStart } from '../../workflows/transition/definitions';
import type { Actor } from '../events/event.types';
import type { AssigneeRole, PlanTemplate } from '../plans/plan-template.types';
import { amsterdamToday, startOfAmsterdamDay } from '../time/amsterdam';
import { dutchPublicHolidays } from '../time/dutch-holidays';
import { transitionIdOf } from './transition-id';

export interface TransitionRequest {
  municipality: string;
  district: string;
  outgoingProvider: string;
  incomingProvider: string;
  goLiveDate: string;
}

/** Public holidays over the handover's span: from today until a year after go-live. */
export const holidaysUntil = (goLiveDate: string) => dutchPublicHolidays(amsterdamToday(), addDays(goLiveDate, 365));

/** The workflow input for a handover: the template's tasks assigned to its organisations. */
export function planTransition(
  request: TransitionRequest,
  template: PlanTemplate,
  policy: NotificationPolicy,
  requestedBy: Actor,
  correlationId: string,
): TransitionStart {
  const assigneeOf: Record<AssigneeRole, string> = {
    outgoing: request.outgoingProvider,
    incoming: request.incomingProvider,
    municipality: request.municipality,
  };
  return {
    plan: {
      transitionId: transitionIdOf(request),
      municipality: request.municipality,
      district: request.district,
      outgoingProvider: request.outgoingProvider,
      incomingProvider: request.incomingProvider,
      goLiveDate: request.goLiveDate,
      goLiveAt: startOfAmsterdamDay(request.goLiveDate),
      template: { code: template.code, version: template.version },
    },
    tasks: template.definition.tasks.map((task) => ({
      id: task.key,
      title: task.title,
      offsetDays: task.offsetDays,
      assigneeRole: task.assignee,
      assignee: assigneeOf[task.assignee],
      dependsOn: task.dependsOn,
    })),
    milestones: template.definition.milestones.map((milestone) => ({
      id: milestone.key,
      title: milestone.title,
      offsetDays: milestone.offsetDays,
      mandatory: milestone.mandatory,
      tasks: milestone.tasks,
      ...(milestone.check ? { check: milestone.check } : {}),
    })),
    closesAfterMilestone: template.definition.closesAfterMilestone,
    policy,
    holidays: holidaysUntil(request.goLiveDate),
    requestedBy,
    correlationId,
  };
}
