import { ApiProperty } from '@nestjs/swagger';
import { CODE } from '../organisations/codes';
import type { AssigneeRole } from './plan-template.types';

const ASSIGNEES: readonly AssigneeRole[] = ['outgoing', 'incoming', 'municipality'];

export class TemplateTaskResponse {
  @ApiProperty({ pattern: CODE.source, example: 'client-files' })
  key: string;

  @ApiProperty({ example: "Transfer client files, with each client's consent" })
  title: string;

  @ApiProperty({ type: 'integer', description: 'Due date as days from go-live (negative: before)', example: -30 })
  offsetDays: number;

  @ApiProperty({ enum: ASSIGNEES, description: 'Who does it, in the terms of a handover' })
  assignee: AssigneeRole;

  @ApiProperty({ type: [String], description: 'Keys of the tasks that must be done first' })
  dependsOn: string[];
}

export class TemplateMilestoneResponse {
  @ApiProperty({ pattern: CODE.source, example: 'residents-informed' })
  key: string;

  @ApiProperty({ example: 'Residents informed before go-live' })
  title: string;

  @ApiProperty({ type: 'integer', description: 'Due date as days from go-live (negative: before)', example: -21 })
  offsetDays: number;

  @ApiProperty({ description: 'Must be met for go-live; otherwise the gate puts the handover at risk' })
  mandatory: boolean;

  @ApiProperty({ type: [String], description: 'Met automatically when all these tasks are done; a coordinator may also sign it off' })
  tasks: string[];

  @ApiProperty({
    enum: ['client-transfers', 'resident-campaign'],
    required: false,
    description:
      'A check on data instead of tasks once there is data: client-transfers is met when every transfer has finished and no import runs; ' +
      'resident-campaign when the approved campaign has informed every recipient',
  })
  check?: 'client-transfers' | 'resident-campaign';
}

export class PlanTemplateDefinitionResponse {
  @ApiProperty({ type: () => [TemplateTaskResponse] })
  tasks: TemplateTaskResponse[];

  @ApiProperty({ type: () => [TemplateMilestoneResponse] })
  milestones: TemplateMilestoneResponse[];

  @ApiProperty({ pattern: CODE.source, description: 'The milestone (after go-live) whose being met closes the handover', example: 'evaluated' })
  closesAfterMilestone: string;
}

/** A plan template in its latest version, as `GET /templates` lists them. */
export class PlanTemplateResponse {
  @ApiProperty({ pattern: CODE.source, example: 'provider-change' })
  code: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version: number;

  @ApiProperty({ example: 'Provider change' })
  name: string;

  @ApiProperty({ type: () => PlanTemplateDefinitionResponse })
  definition: PlanTemplateDefinitionResponse;
}
