import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, UpdateDefinition, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { campaignDraftedUpdate, CampaignStatus } from '../../workflows/campaign/definitions';
import { campaignWorkflow } from '../../workflows/campaign/workflow';
import { DistrictAttribute, MunicipalityAttribute, type CommandActor } from '../../workflows/transition/definitions';
import { actorOf, AuthenticatedUser } from '../auth/auth.types';
import { amsterdamToday } from '../time/amsterdam';
import { BusinessCalendar } from '../time/calendar';
import { COMMAND_START_WITHIN_MS, withinDeadline } from '../temporal/within-deadline';
import { holidaysUntil } from '../transitions/plan-transition';
import { CampaignMessageFields } from './campaign-message';
import { campaignIdOf } from './campaign.events';
import { CampaignFieldsDto, CreateCampaignDto } from './campaign.dto';
import { CURRENT_TEMPLATE_VERSION } from './letters/letter-template';

/** The handover a campaign belongs to, from the transition_summaries read model. */
export interface CampaignHandoverRow {
  transitionId: string;
  municipality: string;
  district: string;
  goLiveDate: string;
  state: string;
}

/** Business days before go-live by which every resident is informed, unless the coordinator says otherwise. */
export const DEFAULT_DEADLINE_BUSINESS_DAYS = 10;

/** Campaign ids are derived from the handover and the campaign's number in it: twenty creates at once make one. */
const CAMPAIGN_ID_NAMESPACE = '3f0f7a1e-58a4-4b8e-9a57-0c1c3c4e6d21';

/**
 * Resident campaigns, each a workflow (`campaign.<transitionId>.<campaignId>`) run by its
 * municipality's coordinator: created as a draft, edited, approved, paused, resumed, cancelled;
 * letter batches marked handed to print and posted. A handover has one campaign at a time: a
 * new one only once the last is cancelled.
 */
@Injectable()
export class CampaignService {
  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(transitionId: string, dto: CreateCampaignDto, user: AuthenticatedUser, correlationId: string): Promise<CampaignStatus> {
    const handover = await this.handoverFor(transitionId, user);
    if (handover.state === 'live' || handover.state === 'closed' || handover.state === 'cancelled') {
      throw new ConflictException(`the handover is ${handover.state}: its residents are informed before go-live`);
    }
    const campaigns: Array<{ state: string }> = await this.dataSource.query(
      'SELECT state FROM campaigns WHERE transition_id = $1 ORDER BY created_at',
      [transitionId],
    );
    if (campaigns.some((campaign) => campaign.state !== 'cancelled')) {
      throw new ConflictException('the handover has a campaign already: cancel it before creating another');
    }
    const deadline = dto.deadline ?? defaultDeadline(handover.goLiveDate);
    this.assertDeadline(deadline, handover.goLiveDate);
    const campaignId = uuidv5(`${transitionId}#${campaigns.length + 1}`, CAMPAIGN_ID_NAMESPACE);
    const operation = new WithStartWorkflowOperation(campaignWorkflow, {
      workflowId: campaignIdOf(transitionId, campaignId),
      taskQueue: this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE'),
      args: [
        {
          campaignId,
          handover: { transitionId, municipality: handover.municipality, district: handover.district, goLiveDate: handover.goLiveDate },
          templateVersion: CURRENT_TEMPLATE_VERSION,
          fields: messageFields(dto.fields, handover),
          deadline,
          requestedBy: actorOf(user),
          correlationId,
          limits: { emailPage: this.config.getOrThrow<number>('CAMPAIGN_EMAIL_PAGE_SIZE') },
        },
      ],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: MunicipalityAttribute, value: handover.municipality },
        { key: DistrictAttribute, value: handover.district },
      ],
    });
    try {
      return await withinDeadline(this.temporal, () => this.temporal.workflow.executeUpdateWithStart(campaignDraftedUpdate, { startWorkflowOperation: operation }), undefined, 'the campaign');
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException('the handover has a campaign already: cancel it before creating another');
      throw error;
    }
  }

  /** The fields as the letter needs them: the district and go-live come from the handover, as it stands now. */
  async editFields(transitionId: string, fields: CampaignFieldsDto | undefined, deadline: string | undefined, user: AuthenticatedUser) {
    const handover = await this.handoverFor(transitionId, user);
    if (deadline !== undefined) this.assertDeadline(deadline, handover.goLiveDate);
    return { ...(fields ? { fields: messageFields(fields, handover) } : {}), ...(deadline !== undefined ? { deadline } : {}) };
  }

  /** Sends a command, as the coordinator, to the campaign's workflow; a rejection becomes its 4xx, a timeout 503. */
  async command<Command extends CommandActor>(
    transitionId: string,
    campaignId: string,
    user: AuthenticatedUser,
    update: UpdateDefinition<CampaignStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
  ): Promise<CampaignStatus> {
    const { campaignState } = await this.campaignFor(transitionId, campaignId, user);
    // A finished campaign's workflow has ended: Temporal would answer "not found"; the campaign is there, and finished.
    if (campaignState === 'completed' || campaignState === 'cancelled') throw new ConflictException(`the campaign is ${campaignState}`);
    const by: CommandActor = { actor: actorOf(user), actingFor: user.actingFor, notAfter: Date.now() + COMMAND_START_WITHIN_MS };
    const handle = this.temporal.workflow.getHandle(campaignIdOf(transitionId, campaignId));
    return withinDeadline(this.temporal, () => handle.executeUpdate(update, { args: [{ ...command, ...by } as Command] }), undefined, 'the campaign');
  }

  /** The coordinator of the handover's municipality only; others: 404 for an unknown handover, else 403. */
  async handoverFor(transitionId: string, user: AuthenticatedUser): Promise<CampaignHandoverRow> {
    const [row] = await this.dataSource.query(
      `SELECT transition_id AS "transitionId", municipality, district, to_char(go_live_date, 'YYYY-MM-DD') AS "goLiveDate", state
       FROM transition_summaries WHERE transition_id = $1`,
      [transitionId],
    );
    if (!row) throw new NotFoundException('the handover does not exist');
    if (user.role !== 'coordinator' || row.municipality !== user.organisation) {
      throw new ForbiddenException("only the coordinator of the handover's municipality runs its resident campaign");
    }
    return row;
  }

  async campaignFor(transitionId: string, campaignId: string, user: AuthenticatedUser): Promise<CampaignHandoverRow & { campaignState: string }> {
    const handover = await this.handoverFor(transitionId, user);
    const [row] = await this.dataSource.query('SELECT state FROM campaigns WHERE campaign_id = $1 AND transition_id = $2', [campaignId, transitionId]);
    if (!row) throw new NotFoundException('the campaign does not exist in this handover');
    return { ...handover, campaignState: row.state };
  }

  private assertDeadline(deadline: string, goLiveDate: string): void {
    if (deadline > goLiveDate) throw new BadRequestException('deadline must not lie after the go-live date');
    if (deadline < amsterdamToday()) throw new BadRequestException('deadline must not lie in the past');
  }
}

export function defaultDeadline(goLiveDate: string): string {
  return new BusinessCalendar(holidaysUntil(goLiveDate)).addBusinessDays(goLiveDate, -DEFAULT_DEADLINE_BUSINESS_DAYS);
}

function messageFields(fields: CampaignFieldsDto, handover: CampaignHandoverRow): CampaignMessageFields {
  const { municipality, outgoing, incoming, whatChanges, whatStays, whereToAsk, signatures } = fields;
  const contact = ({ name, phone, email, website }: typeof outgoing) => ({ name, phone, email, website });
  const signatory = ({ name, role }: typeof signatures.outgoing) => ({ name, role });
  return {
    municipality: { name: municipality.name, contact: contact(municipality.contact) },
    district: districtName(handover.district),
    outgoing: contact(outgoing),
    incoming: contact(incoming),
    goLiveDate: handover.goLiveDate,
    whatChanges: [...whatChanges],
    whatStays: [...whatStays],
    whereToAsk,
    signatures: { outgoing: signatory(signatures.outgoing), incoming: signatory(signatures.incoming), municipality: signatory(signatures.municipality) },
  };
}

/** A district code as residents read it: `hillegersberg-schiebroek` → "Hillegersberg-Schiebroek". */
export function districtName(code: string): string {
  return code.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('-');
}
