import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { deterministicEventId } from './event-id';
import { EventIdReuseError, VersionConflictError } from './event-store.errors';
import { EventStore } from './event-store.service';
import type { Actor, Event, NewEvent } from './event.types';

/** What a workflow appends in one go: every event one command caused, in order. */
export interface AppendEventsRequest<E extends Event = Event> {
  streamId: string;
  /** The stream's version the workflow has applied: the append fails if the store is elsewhere. */
  expectedVersion: number;
  events: Array<E & { schemaVersion: number }>;
  actor: Actor;
  correlationId: string;
  /** The last event the workflow recorded before these. */
  causationId: string | null;
}

export interface AppendEventsResult {
  eventIds: string[];
  streamVersion: number;
}

/** Failure types an append reports to its workflow; none of them is retried. */
export const AppendFailure = {
  /** The database refused the data (invalid text, a date out of range, a constraint). */
  invalidData: 'InvalidEventData',
  /** The stream is not at the expected version: someone else wrote it. */
  versionConflict: 'VersionConflict',
} as const;

/** SQLSTATE classes of errors in the data or the statement: retrying cannot mend them. */
const PERMANENT_SQL_CLASSES = ['22', '23', '42'];

/** The path of the first string in `value` PostgreSQL's jsonb cannot hold (a NUL), or null. */
export function unstorableTextAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'data' : null;
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = unstorableTextAt(child, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Activities of the event store, for any workflow and any stream (handovers, client transfers,
 * campaigns). Event ids follow from the workflow run and the version each event takes, so a
 * retried append finds its events and writes nothing twice. Errors in the data are final
 * (non-retryable, without the database's words, which may quote the data); others, such as
 * the database being out of reach, are retried within the caller's bound.
 */
export function createEventStoreActivities(eventStore: EventStore) {
  return {
    async appendEvents(request: AppendEventsRequest): Promise<AppendEventsResult> {
      const { workflowId, runId } = workflowRun();
      const invalidAt = unstorableTextAt(request.events.map((event) => event.data));
      if (invalidAt) {
        throw ApplicationFailure.nonRetryable(`event data ${invalidAt.replace(/^\d+\./, '')} holds a NUL character`, AppendFailure.invalidData);
      }
      const events = request.events.map(
        (event, index) =>
          ({
            eventId: deterministicEventId(`${workflowId}/${runId}`, request.expectedVersion + index + 1),
            type: event.type,
            schemaVersion: event.schemaVersion,
            data: event.data,
            metadata: { actor: request.actor, correlationId: request.correlationId, causationId: request.causationId, workflowId, runId },
          }) as NewEvent,
      );
      const result = await appendOrExplain(eventStore, request.streamId, events, request.expectedVersion);
      return { eventIds: events.map((event) => event.eventId), streamVersion: result.streamVersion };
    },

    /** The stream's version and last event in the store: tells a workflow whether an append whose answer it lost went through. */
    async streamHead(streamId: string): Promise<{ version: number; eventId: string | null }> {
      const events = await eventStore.readStream(streamId);
      const last = events[events.length - 1];
      return { version: last?.streamVersion ?? 0, eventId: last?.eventId ?? null };
    },

    /**
     * The first release's append (workflows/transition/v1), kept while runs of it are open:
     * event ids from the workflow id and version, metadata per event.
     */
    async appendTransitionEvents(request: {
      streamId: string;
      expectedVersion: number;
      correlationId: string;
      events: Array<{ type: string; schemaVersion: number; data: Record<string, unknown>; actor: Actor; causationId: string | null }>;
    }): Promise<{ eventIds: string[]; positions: number[] }> {
      const { workflowId, runId } = workflowRun();
      const events = request.events.map((event, index) => ({
        eventId: deterministicEventId(workflowId, request.expectedVersion + index + 1),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: { actor: event.actor, correlationId: request.correlationId, causationId: event.causationId, workflowId, runId },
      }));
      const result = await appendOrExplain(eventStore, request.streamId, events, request.expectedVersion);
      return { eventIds: events.map((event) => event.eventId), positions: result.positions };
    },
  };
}

/** The workflow run an activity works for; event ids and metadata name it. */
function workflowRun(): { workflowId: string; runId: string } {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw ApplicationFailure.nonRetryable('the event store activities run for workflows only');
  return execution;
}

export type EventStoreActivities = ReturnType<typeof createEventStoreActivities>;

async function appendOrExplain(eventStore: EventStore, streamId: string, events: NewEvent[], expectedVersion: number) {
  try {
    return await eventStore.append(streamId, events, { expectedVersion });
  } catch (error) {
    if (error instanceof VersionConflictError || error instanceof EventIdReuseError) {
      // Only the stream's own workflow writes it: retrying cannot mend a conflict.
      throw ApplicationFailure.nonRetryable(error.message, AppendFailure.versionConflict);
    }
    const sqlState = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
    if (sqlState && PERMANENT_SQL_CLASSES.includes(sqlState.slice(0, 2))) {
      throw ApplicationFailure.nonRetryable(`the database refused the event data (SQLSTATE ${sqlState})`, AppendFailure.invalidData);
    }
    // Anything else (the database out of reach, a restart): worth another try; its text stays out of histories.
    throw ApplicationFailure.retryable(`the event store could not be reached${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, 'EventStoreUnavailable');
  }
}
