import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { Repository } from 'typeorm';
import type { Actor } from '../events/event.types';
import { TransitionPlan, TransitionStatus, transitionRegisteredUpdate, transitionStatusQuery } from '../../workflows/transition.definitions';
import { transitionWorkflow } from '../../workflows/transition.workflow';
import { startOfAmsterdamDay } from '../time/amsterdam';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { transitionIdOf } from './transition-id';
import { TransitionSummary } from './transition-summary.entity';

@Injectable()
export class TransitionsService {
  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
    @InjectRepository(TransitionSummary) private readonly summaries: Repository<TransitionSummary>,
  ) {}

  /**
   * Starts the handover's workflow and waits until it has recorded the transition. A business id
   * is never reused, so a second request for the same municipality, district and go-live is a
   * conflict, whether the first is still running or has ended.
   */
  async create(dto: CreateTransitionDto, requestedBy: Actor, correlationId: string): Promise<TransitionStatus> {
    const plan: TransitionPlan = {
      transitionId: transitionIdOf(dto),
      municipality: dto.municipality,
      district: dto.district,
      outgoingProvider: dto.outgoingProvider,
      incomingProvider: dto.incomingProvider,
      goLiveDate: dto.goLiveDate,
      goLiveAt: startOfAmsterdamDay(dto.goLiveDate),
    };
    const start = new WithStartWorkflowOperation(transitionWorkflow, {
      workflowId: plan.transitionId,
      taskQueue: this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE'),
      args: [{ plan, requestedBy, correlationId }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      return await this.temporal.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: start,
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictException(`transition ${plan.transitionId} already exists`);
      }
      throw error;
    }
  }

  /** Live state of one handover, from its workflow. */
  async get(transitionId: string): Promise<TransitionStatus> {
    try {
      return await this.temporal.workflow.getHandle(transitionId).query(transitionStatusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new NotFoundException(`transition ${transitionId} does not exist`);
      }
      throw error;
    }
  }

  list(): Promise<TransitionSummary[]> {
    return this.summaries.find({ order: { goLiveDate: 'ASC', transitionId: 'ASC' } });
  }
}
