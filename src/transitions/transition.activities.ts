import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { deterministicEventId } from '../events/event-id';
import { VersionConflictError } from '../events/event-store.errors';
import { EventStore } from '../events/event-store.service';
import type { Actor } from '../events/event.types';
import { TemporalActivities } from '../temporal/temporal-activities.decorator';

export interface AppendTransitionEventsRequest {
  streamId: string;
  /** The stream's version the workflow has recorded so far. */
  expectedVersion: number;
  correlationId: string;
  events: Array<{
    type: string;
    schemaVersion: number;
    data: Record<string, unknown>;
    actor: Actor;
    causationId: string | null;
  }>;
}

/** Activities of the transition workflow: its only way to touch the database. */
@Injectable()
@TemporalActivities()
export class TransitionActivities {
  constructor(private readonly eventStore: EventStore) {}

  /**
   * Appends the workflow's next events. Their ids follow from the workflow id and their place
   * in the stream, so a retry after a crash, or a replay, finds them and writes nothing twice.
   */
  async appendTransitionEvents(request: AppendTransitionEventsRequest): Promise<{ eventIds: string[]; positions: number[] }> {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw ApplicationFailure.nonRetryable('appendTransitionEvents runs for a workflow only');
    const { workflowId, runId } = execution;
    const events = request.events.map((event, index) => ({
      eventId: deterministicEventId(workflowId, request.expectedVersion + index + 1),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: {
        actor: event.actor,
        correlationId: request.correlationId,
        causationId: event.causationId,
        workflowId,
        runId,
      },
    }));
    try {
      const result = await this.eventStore.append(request.streamId, events, {
        expectedVersion: request.expectedVersion,
      });
      return { eventIds: events.map((event) => event.eventId), positions: result.positions };
    } catch (error) {
      if (error instanceof VersionConflictError) {
        // Only this workflow writes its stream: a conflict is a defect, and retrying cannot mend it.
        throw ApplicationFailure.nonRetryable(error.message, 'VersionConflict');
      }
      throw error;
    }
  }
}
