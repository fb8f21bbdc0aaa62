import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, UpdateDefinition, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  CommandActor,
  MunicipalityAttribute,
  DistrictAttribute,
  GoLiveAttribute,
  NotificationPolicy,
  TransitionPlan,
  TransitionState,
  TransitionStateAttribute,
  TransitionStatus,
  transitionRegisteredUpdate,
  transitionStatusQuery,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { actorOf, AuthenticatedUser } from '../auth/auth.types';
import { EventStore } from '../events/event-store.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { PlanTemplatesService } from '../plans/plan-templates.service';
import { amsterdamToday, startOfAmsterdamDay } from '../time/amsterdam';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { ListTransitionsQuery } from './dto/list-transitions.query';
import { clientTallies, ClientTally } from '../clients/client-tallies';
import { campaignTallies, CampaignTally } from '../campaigns/campaign-tallies';
import { COMMAND_START_WITHIN_MS, withinDeadline } from '../temporal/within-deadline';
import { holidaysUntil, planTransition } from './plan-transition';

/** A row of `GET /transitions`, from the transition_summaries and transition_tasks read models. */
export interface TransitionListItem
  extends Pick<TransitionPlan, 'transitionId' | 'municipality' | 'district' | 'outgoingProvider' | 'incomingProvider' | 'goLiveDate'> {
  template: string;
  state: TransitionState;
  atRisk: boolean;
  createdAt: Date;
  updatedAt: Date;
  overdueTasks: number;
  /** Its client transfers in brief, from the client_transfers read model. */
  clients: ClientTally;
  /** Its latest resident campaign in brief, from the campaigns read model. */
  campaign: CampaignTally | null;
}

@Injectable()
export class TransitionsService {
  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
    private readonly templates: PlanTemplatesService,
    private readonly organisations: OrganisationsService,
    private readonly eventStore: EventStore,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Plans the handover from the latest version of its template and starts its workflow; waits
   * (within the deadline) until the workflow has recorded it. A business id is used once: a
   * second request for the same municipality, district and go-live is a conflict, whether the
   * first runs or has ended; only a run that failed to record anything leaves the id free.
   */
  async create(dto: CreateTransitionDto, user: AuthenticatedUser, correlationId: string): Promise<TransitionStatus> {
    if (user.organisation !== dto.municipality) {
      throw new ForbiddenException("municipality must be the one you coordinate for");
    }
    const [template] = await Promise.all([this.templates.latest(dto.template ?? 'provider-change'), this.assertKnown(dto)]);
    const start = {
      ...planTransition(dto, template!, this.policy(), actorOf(user), correlationId),
      notAfter: Date.now() + COMMAND_START_WITHIN_MS,
    };
    const { transitionId, goLiveAt } = start.plan;
    const startOperation = new WithStartWorkflowOperation(transitionWorkflowV2, {
      workflowId: transitionId,
      taskQueue: this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE'),
      args: [start],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: MunicipalityAttribute, value: dto.municipality },
        { key: DistrictAttribute, value: dto.district },
        { key: TransitionStateAttribute, value: 'planned' },
        { key: GoLiveAttribute, value: new Date(goLiveAt) },
      ],
    });
    try {
      return await this.withinDeadline(() =>
        this.temporal.workflow.executeUpdateWithStart(transitionRegisteredUpdate, { startWorkflowOperation: startOperation }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException('this handover exists already');
      throw error;
    }
  }

  private policy(): NotificationPolicy {
    const days = (list: string) => list.split(',').map(Number);
    return {
      reminderOffsetsDays: days(this.config.getOrThrow('REMINDER_OFFSETS_DAYS')),
      goLiveReminderOffsetsDays: days(this.config.getOrThrow('GO_LIVE_REMINDER_OFFSETS_DAYS')),
      escalationAfterDays: this.config.getOrThrow<number>('ESCALATION_AFTER_DAYS'),
      clientEscalationBusinessDays: this.config.getOrThrow<number>('CLIENT_TRANSFER_ESCALATION_BUSINESS_DAYS'),
    };
  }

  /** Sends a command, as the user, to the handover's workflow; a rejection becomes its 4xx, a timeout 503. */
  async command<Command extends CommandActor>(
    transitionId: string,
    user: AuthenticatedUser,
    update: UpdateDefinition<TransitionStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
  ): Promise<TransitionStatus> {
    await this.assertMayRead(transitionId, user);
    const by: CommandActor = { actor: actorOf(user), actingFor: user.actingFor, notAfter: Date.now() + COMMAND_START_WITHIN_MS };
    return this.withinDeadline(() =>
      this.temporal.workflow.getHandle(transitionId).executeUpdate(update, { args: [{ ...command, ...by } as Command] }),
    );
  }

  private withinDeadline<T>(call: () => Promise<T>): Promise<T> {
    return withinDeadline(this.temporal, call);
  }

  /** What a command that moves go-live needs beyond the request: the new start instant and calendar. */
  goLiveDetails(goLiveDate: string) {
    return { goLiveAt: startOfAmsterdamDay(goLiveDate), holidays: holidaysUntil(goLiveDate), today: amsterdamToday() };
  }

  /** Live state from the workflow, with overdue counts and the timeline from the audit trail. */
  async detail(transitionId: string, user: AuthenticatedUser) {
    await this.assertMayRead(transitionId, user);
    const status = await this.withinDeadline(() => this.temporal.workflow.getHandle(transitionId).query(transitionStatusQuery));
    const today = amsterdamToday();
    const overdue = status.tasks.filter((task) => task.status === 'open' && task.dueDate < today);
    const [events, tallies, campaigns] = await Promise.all([
      this.eventStore.readStream(transitionId),
      clientTallies(this.dataSource, [transitionId]),
      campaignTallies(this.dataSource, [transitionId]),
    ]);
    return {
      ...status,
      clients: { ...tallies.get(transitionId)!, runningImports: status.clients?.runningImports ?? [] },
      campaign: campaigns.get(transitionId)!,
      // At risk at the go-live gate, or ahead of it when its resident campaign falls behind.
      atRisk: status.atRisk || status.residents?.state === 'behind',
      overdue: { tasks: overdue.length, taskIds: overdue.map((task) => task.id) },
      timeline: events.map((event) => ({
        at: event.recordedAt,
        type: event.type,
        actor: event.metadata.actor,
        data: event.data,
      })),
    };
  }

  /** Coordinators and auditors see their own municipality's handovers. */
  async list(query: ListTransitionsQuery, user: AuthenticatedUser): Promise<TransitionListItem[]> {
    const bound = user.role === 'coordinator' || user.role === 'auditor';
    if (bound && query.municipality && query.municipality !== user.organisation) {
      throw new ForbiddenException('municipality must be your own');
    }
    const municipality = bound ? user.organisation : query.municipality;
    const rows = await this.dataSource.query(
      `SELECT s.transition_id AS "transitionId", s.municipality, s.district, s.outgoing_provider AS "outgoingProvider",
              s.incoming_provider AS "incomingProvider", to_char(s.go_live_date, 'YYYY-MM-DD') AS "goLiveDate",
              s.template, s.state, (s.at_risk OR coalesce(c.behind_schedule, false)) AS "atRisk", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
              (SELECT count(*)::int FROM transition_tasks t
                WHERE t.transition_id = s.transition_id AND t.status = 'open' AND t.due_date < $4) AS "overdueTasks"
       FROM transition_summaries s
       LEFT JOIN LATERAL (SELECT behind_schedule FROM campaigns WHERE transition_id = s.transition_id ORDER BY created_at DESC LIMIT 1) c ON true
       WHERE ($1::text IS NULL OR s.municipality = $1)
         AND ($2::text IS NULL OR s.state = $2)
         AND ($3::boolean IS NULL OR (s.at_risk OR coalesce(c.behind_schedule, false)) = $3)
       ORDER BY s.go_live_date, s.transition_id`,
      [municipality ?? null, query.state ?? null, query.atRisk ?? null, amsterdamToday()],
    );
    const ids = rows.map((row: TransitionListItem) => row.transitionId);
    const [tallies, campaigns] = await Promise.all([clientTallies(this.dataSource, ids), campaignTallies(this.dataSource, ids)]);
    return rows.map((row: TransitionListItem) => ({ ...row, clients: tallies.get(row.transitionId)!, campaign: campaigns.get(row.transitionId)! }));
  }

  /**
   * Coordinators and auditors reach their own municipality's handovers only (403 otherwise);
   * providers reach tasks, which the workflow checks against their organisations.
   */
  async assertMayRead(transitionId: string, user: AuthenticatedUser): Promise<void> {
    if (user.role === 'provider') return;
    const municipality = await this.municipalityOf(transitionId);
    if (!municipality) throw new NotFoundException('the handover does not exist');
    if (municipality !== user.organisation) throw new ForbiddenException('the handover belongs to another municipality');
  }

  /** A handover's municipality never changes and a recorded handover never goes away: found once, kept. */
  private readonly municipalities = new Map<string, string>();

  private async municipalityOf(transitionId: string): Promise<string | undefined> {
    const known = this.municipalities.get(transitionId);
    if (known) return known;
    const [row] = await this.dataSource.query('SELECT municipality FROM transition_summaries WHERE transition_id = $1', [
      transitionId,
    ]);
    if (!row) return undefined;
    if (this.municipalities.size >= 50_000) this.municipalities.clear();
    this.municipalities.set(transitionId, row.municipality);
    return row.municipality;
  }

  private async assertKnown(dto: CreateTransitionDto): Promise<void> {
    const [municipalityKind, districtKnown, outgoingKind, incomingKind] = await Promise.all([
      this.organisations.kindOf(dto.municipality),
      this.organisations.hasDistrict(dto.municipality, dto.district),
      this.organisations.kindOf(dto.outgoingProvider),
      this.organisations.kindOf(dto.incomingProvider),
    ]);
    const problems: string[] = [];
    if (municipalityKind !== 'municipality') problems.push('municipality must be a known municipality');
    else if (!districtKnown) problems.push('district must be a district of the municipality');
    if (outgoingKind !== 'provider') problems.push('outgoingProvider must be a known provider');
    if (incomingKind !== 'provider') problems.push('incomingProvider must be a known provider');
    if (problems.length > 0) throw new BadRequestException(problems);
  }
}
