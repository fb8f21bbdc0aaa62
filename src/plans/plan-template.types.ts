/** Who a task is assigned to, in the terms of a handover; resolved to organisations per transition. */
export type AssigneeRole = 'outgoing' | 'incoming' | 'municipality';

export interface TemplateTask {
  key: string;
  title: string;
  /** Due date as days from go-live (negative: before). */
  offsetDays: number;
  assignee: AssigneeRole;
  dependsOn: string[];
}

export interface TemplateMilestone {
  key: string;
  title: string;
  offsetDays: number;
  /** Must be met for go-live; otherwise the gate puts the transition at risk. */
  mandatory: boolean;
  /** Met automatically when all these tasks are done; a coordinator may also sign it off. */
  tasks: string[];
  /**
   * A check on data instead of tasks, once there is data: `client-transfers` is met when every
   * imported client's transfer has finished and no import is running (until a first import, its
   * tasks count).
   */
  check?: MilestoneCheck;
}

export type MilestoneCheck = 'client-transfers' | 'resident-campaign';

export interface PlanTemplateDefinition {
  tasks: TemplateTask[];
  milestones: TemplateMilestone[];
  /** The milestone (after go-live) whose being met closes the transition. */
  closesAfterMilestone: string;
}

export interface PlanTemplate {
  code: string;
  version: number;
  name: string;
  definition: PlanTemplateDefinition;
}
