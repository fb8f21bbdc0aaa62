import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CampaignTallyResponse } from '../../campaigns/campaign-tallies';
import { ClientTallyDetailResponse, ClientTallyResponse } from '../../clients/client-tallies';
import { ActorResponse } from '../../events/recorded-event.response';
import { CODE } from '../../organisations/codes';
import { NextCursor } from '../../paging/page.response';
import { TRANSITION_ID_PATTERN } from '../transition-id';
import { DATE_PATTERN, exampleGoLiveDate } from './transition-validators';

export const TRANSITION_STATES = ['planned', 'preparing', 'ready', 'live', 'closed', 'cancelled'] as const;
export const ASSIGNEE_ROLES = ['outgoing', 'incoming', 'municipality'] as const;

const transitionId = () =>
  ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: `rotterdam.feijenoord.${exampleGoLiveDate}` });
const code = (example: string, description?: string) => ApiProperty({ pattern: CODE.source, example, description });
const date = (description?: string) => ApiProperty({ format: 'date', pattern: DATE_PATTERN.source, example: exampleGoLiveDate, description });

export class TemplateRefResponse {
  @code('provider-change')
  code: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version: number;
}

/** What the coordinator fixed when creating the handover. */
export class TransitionPlanResponse {
  @transitionId()
  transitionId: string;

  @code('rotterdam')
  municipality: string;

  @code('feijenoord')
  district: string;

  @code('welzijn-maas')
  outgoingProvider: string;

  @code('buurtkracht')
  incomingProvider: string;

  @date('Go-live (startdatum), Europe/Amsterdam')
  goLiveDate: string;

  @ApiProperty({ format: 'date-time', description: 'The instant the go-live date starts in Europe/Amsterdam' })
  goLiveAt: string;

  @ApiProperty({ type: () => TemplateRefResponse })
  template: TemplateRefResponse;
}

export class TaskStatusResponse {
  @code('client-files')
  id: string;

  @ApiProperty({ example: "Transfer client files, with each client's consent" })
  title: string;

  @ApiProperty({ type: 'integer', description: 'Due date as days from go-live (negative: before)' })
  offsetDays: number;

  @ApiProperty({ enum: ASSIGNEE_ROLES })
  assigneeRole: (typeof ASSIGNEE_ROLES)[number];

  @code('welzijn-maas', 'The organisation that does it; for a consortium, its main contractor or a member may')
  assignee: string;

  @ApiProperty({ type: [String], description: 'Tasks that must be done first' })
  dependsOn: string[];

  @date()
  dueDate: string;

  @ApiProperty({ enum: ['open', 'done'] })
  status: 'open' | 'done';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: () => ActorResponse, nullable: true })
  completedBy: ActorResponse | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 500 })
  note: string | null;

  @ApiProperty({ type: 'integer', description: 'When its due date was (re)planned, epoch milliseconds' })
  plannedAt: number;
}

export class MilestoneStatusResponse {
  @code('residents-informed')
  id: string;

  @ApiProperty({ example: 'Residents informed before go-live' })
  title: string;

  @ApiProperty({ type: 'integer', description: 'Due date as days from go-live (negative: before)' })
  offsetDays: number;

  @ApiProperty({ description: 'Must be met for go-live; otherwise the gate puts the handover at risk' })
  mandatory: boolean;

  @ApiProperty({ type: [String], description: 'Met when all these tasks are done (or signed off)' })
  tasks: string[];

  @ApiProperty({
    enum: ['client-transfers', 'resident-campaign'],
    required: false,
    description:
      'A check on data instead of tasks once there is data: client-transfers is met when every transfer has finished and no import runs; ' +
      'resident-campaign when the approved campaign has informed every recipient',
  })
  check?: 'client-transfers' | 'resident-campaign';

  @date()
  dueDate: string;

  @ApiProperty()
  met: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  metAt: string | null;

  @ApiProperty({ type: () => ActorResponse, nullable: true })
  signedOffBy: ActorResponse | null;
}

export class GoDecisionResponse {
  @ApiProperty({ enum: ['go'] })
  decision: 'go';

  @ApiProperty({ maxLength: 500 })
  reason: string;

  @ApiProperty({ type: () => ActorResponse })
  by: ActorResponse;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class ResidentCampaignStateResponse {
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty({ enum: ['running', 'behind', 'completed', 'cancelled'], description: 'behind: the handover is at risk until every resident is informed' })
  state: 'running' | 'behind' | 'completed' | 'cancelled';
}

/** A handover's state after a command (and on create): its plan, tasks and milestones. */
export class TransitionStatusResponse {
  @transitionId()
  transitionId: string;

  @ApiProperty({ type: () => TransitionPlanResponse })
  plan: TransitionPlanResponse;

  @ApiProperty({ enum: TRANSITION_STATES })
  state: (typeof TRANSITION_STATES)[number];

  @ApiProperty({ description: 'At the go-live gate with a mandatory milestone unmet' })
  atRisk: boolean;

  @ApiProperty({ type: 'integer', description: 'When the go-live date was (re)planned, epoch milliseconds' })
  goLivePlannedAt: number;

  @ApiProperty({ type: () => [TaskStatusResponse] })
  tasks: TaskStatusResponse[];

  @ApiProperty({ type: () => [MilestoneStatusResponse] })
  milestones: MilestoneStatusResponse[];

  @ApiProperty({ type: () => GoDecisionResponse, nullable: true, description: 'A go decision taken at the gate' })
  decision: GoDecisionResponse | null;

  @ApiPropertyOptional({ type: () => ResidentCampaignStateResponse, description: 'Its resident campaign as the handover knows it: absent until one is approved' })
  residents?: ResidentCampaignStateResponse;

  @ApiProperty({ type: 'integer', minimum: 0, description: "Version of the handover's event stream" })
  streamVersion: number;
}


export class OverdueResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  tasks: number;

  @ApiProperty({ type: [String] })
  taskIds: string[];
}

export class TimelineEntryResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: "The event's version in the handover's stream" })
  streamVersion: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'TaskCompleted' })
  type: string;

  @ApiProperty({ type: () => ActorResponse })
  actor: ActorResponse;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

/** `GET /transitions/{transitionId}`: the live state, overdue counts and the timeline from the audit trail. */
export class TransitionDetailResponse extends TransitionStatusResponse {
  @ApiProperty({ type: () => OverdueResponse })
  overdue: OverdueResponse;

  @ApiProperty({ type: () => [TimelineEntryResponse], description: 'The newest 50 events of its audit trail, newest first' })
  timeline: TimelineEntryResponse[];

  @NextCursor('Older events: GET /transitions/{transitionId}/timeline?cursor=…; null when the timeline is complete')
  timelineNextCursor: string | null;

  @ApiProperty({ type: () => ClientTallyDetailResponse, description: 'Its client transfers in brief (counts only), and the imports still running' })
  clients: ClientTallyDetailResponse;

  @ApiProperty({ type: () => CampaignTallyResponse, nullable: true, description: 'Its latest resident campaign in brief (counts only); null without one' })
  campaign: CampaignTallyResponse | null;
}

export class TaskCountResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  done: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total: number;
}

/** A row of `GET /transitions`. */
export class TransitionListItemResponse {
  @transitionId()
  transitionId: string;

  @code('rotterdam')
  municipality: string;

  @code('feijenoord')
  district: string;

  @code('welzijn-maas')
  outgoingProvider: string;

  @code('buurtkracht')
  incomingProvider: string;

  @date()
  goLiveDate: string;

  @code('provider-change')
  template: string;

  @ApiProperty({ enum: TRANSITION_STATES })
  state: (typeof TRANSITION_STATES)[number];

  @ApiProperty({ description: 'At the go-live gate with a mandatory milestone unmet, or its resident campaign behind schedule' })
  atRisk: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open tasks past their due date' })
  overdueTasks: number;

  @ApiProperty({
    type: String, format: 'date', nullable: true,
    description: 'Time to act: the earliest of the next due date of an open task and, before go-live, the go-live date; null with nothing left to act on',
  })
  actBy: string | null;

  @ApiProperty({ type: () => TaskCountResponse })
  tasks: TaskCountResponse;

  @ApiProperty({ type: () => ClientTallyResponse, description: 'Its client transfers in brief (counts only)' })
  clients: ClientTallyResponse;

  @ApiProperty({ type: () => CampaignTallyResponse, nullable: true, description: 'Its latest resident campaign in brief (counts only); null without one' })
  campaign: CampaignTallyResponse | null;
}

/** `GET /transitions`: a page of handovers. */
export class TransitionPageResponse {
  @ApiProperty({ type: () => [TransitionListItemResponse] })
  items: TransitionListItemResponse[];

  @NextCursor()
  nextCursor: string | null;
}

/** `GET /transitions/{transitionId}/timeline`: a page of the timeline, newest first. */
export class TimelinePageResponse {
  @ApiProperty({ type: () => [TimelineEntryResponse] })
  items: TimelineEntryResponse[];

  @NextCursor('Older events; null when the timeline is complete')
  nextCursor: string | null;
}
