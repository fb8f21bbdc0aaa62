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
  TransitionStateAttribute,
  TransitionStatus,
  transitionRegisteredUpdate,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { actorOf, AuthenticatedUser } from '../auth/auth.types';
import { OrganisationsService } from '../organisations/organisations.service';
import { PlanTemplatesService } from '../plans/plan-templates.service';
import { amsterdamToday, startOfAmsterdamDay } from '../time/amsterdam';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { ListTransitionsQuery } from './dto/list-transitions.query';
import { clientTallies } from '../clients/client-tallies';
import { campaignTallies } from '../campaigns/campaign-tallies';
import { Page } from '../paging/page';
import { PageQuery } from '../paging/page.query';
import { listTransitions, TransitionListItem } from './reads/transition-list';
import { readCacheOf, readKey } from '../database/read-cache';
import { TimelineEntry, timelinePage } from './reads/transition-timeline';
import { COMMAND_START_WITHIN_MS, withinDeadline } from '../temporal/within-deadline';
import { holidaysUntil, planTransition } from './plan-transition';

export type { TransitionListItem } from './reads/transition-list';

@Injectable()
export class TransitionsService {
  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
    private readonly templates: PlanTemplatesService,
    private readonly organisations: OrganisationsService,
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

  /**
   * A handover's state from its read model (as its workflow keeps it), with overdue counts, its
   * client and campaign tallies and the first page of its timeline, newest first.
   */
  async detail(transitionId: string, user: AuthenticatedUser) {
    await this.assertMayRead(transitionId, user);
    const today = amsterdamToday();
    // The same for everyone who may read it (checked above): remembered until the next commit.
    return readCacheOf(this.dataSource).read(readKey('transition-detail', transitionId, today), () => this.readDetail(transitionId, today));
  }

  private async readDetail(transitionId: string, today: string) {
    const [[row], tallies, campaigns, timeline] = await Promise.all([
      this.dataSource.query('SELECT status FROM transition_details WHERE transition_id = $1', [transitionId]) as Promise<
        Array<{ status: TransitionStatus }>
      >,
      clientTallies(this.dataSource, [transitionId]),
      campaignTallies(this.dataSource, [transitionId]),
      timelinePage(this.dataSource, transitionId, {}),
    ]);
    if (!row) throw new NotFoundException('the handover does not exist');
    const { status } = row;
    const overdue = status.tasks.filter((task) => task.status === 'open' && task.dueDate < today);
    return {
      ...status,
      clients: { ...tallies.get(transitionId)!, runningImports: status.clients?.runningImports ?? [] },
      campaign: campaigns.get(transitionId)!,
      // At risk at the go-live gate, or ahead of it when its resident campaign falls behind.
      atRisk: status.atRisk || status.residents?.state === 'behind',
      overdue: { tasks: overdue.length, taskIds: overdue.map((task) => task.id) },
      timeline: timeline.items,
      timelineNextCursor: timeline.nextCursor,
    };
  }

  /** A further page of a handover's timeline (newest first), after `timelineNextCursor`. */
  async timeline(transitionId: string, page: PageQuery, user: AuthenticatedUser): Promise<Page<TimelineEntry>> {
    await this.assertMayRead(transitionId, user);
    const key = readKey('timeline', transitionId, page.cursor ?? null, page.limit ?? null);
    return readCacheOf(this.dataSource).read(key, () => timelinePage(this.dataSource, transitionId, page));
  }

  /** Coordinators and auditors see their own municipality's handovers, a page at a time. */
  async list(query: ListTransitionsQuery, user: AuthenticatedUser): Promise<Page<TransitionListItem>> {
    const bound = user.role === 'coordinator' || user.role === 'auditor';
    if (bound && query.municipality && query.municipality !== user.organisation) {
      throw new ForbiddenException('municipality must be your own');
    }
    const filters = {
      municipality: (bound ? user.organisation : query.municipality) ?? null,
      state: query.state ?? null,
      atRisk: query.atRisk ?? null,
      provider: query.provider ?? null,
    };
    const page = { sort: query.sort ?? 'time-to-act', cursor: query.cursor, limit: query.limit, today: amsterdamToday() };
    // The filters hold the caller's scope (its municipality): the key names everything the page depends on.
    return readCacheOf(this.dataSource).read(readKey('transitions', filters, page), () => listTransitions(this.dataSource, filters, page));
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
