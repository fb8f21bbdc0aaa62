import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { AppendFailure as AppendFailures, EventStoreActivities } from '../../src/events/event-store.activities';
import type { Actor, Event } from '../../src/events/event.types';
import { CommandRejection } from '../transition/definitions';

/** When and by whom the events of one command were decided: what evolve stamps on the state. */
export interface EventContext {
  /** Epoch ms (workflow time). */
  at: number;
  actor: Actor;
}

type AppendFailureType = (typeof AppendFailures)[keyof typeof AppendFailures];
const INVALID_DATA: AppendFailureType = 'InvalidEventData';
const VERSION_CONFLICT: AppendFailureType = 'VersionConflict';

export const reject = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** An append whose answer was lost: the store may or may not hold its events. */
interface UncertainAppend<E extends Event> {
  expectedVersion: number;
  events: E[];
  context: EventContext;
  onApplied?: () => void;
}

export interface StreamRecorderOptions<E extends Event> {
  streamId: string;
  correlationId: string;
  schemaVersions: { readonly [T in E['type']]: number };
  /** The stream version the workflow's state has applied. */
  version(): number;
  /** The last event the workflow recorded: the causation of the next. */
  lastEventId(): string | null;
  /** Applies stored events to the workflow's state (evolve). */
  apply(events: E[], context: EventContext, lastEventId: string): void;
  activities: Pick<EventStoreActivities, 'appendEvents' | 'streamHead'>;
  /** What a conflicting write means to a caller, in the words of the stream's feature. */
  conflictMessage: string;
}

/**
 * Step 3 and 4 of the command core for one stream: records a command's events in one append,
 * then applies them. An append whose answer was lost (503 to its caller) is settled from the
 * store before the next one, so state never runs ahead of, nor falls behind, the store.
 */
export function createStreamRecorder<E extends Event>(options: StreamRecorderOptions<E>) {
  let uncertain: UncertainAppend<E> | null = null;

  async function record(events: E[], context: EventContext, onApplied?: () => void): Promise<void> {
    if (events.length === 0) return onApplied?.();
    const expectedVersion = options.version();
    try {
      const { eventIds } = await options.activities.appendEvents({
        streamId: options.streamId,
        expectedVersion,
        events: events.map((event) => ({ ...event, schemaVersion: options.schemaVersions[event.type as E['type']] })),
        actor: context.actor,
        correlationId: options.correlationId,
        causationId: options.lastEventId(),
      });
      options.apply(events, context, eventIds[eventIds.length - 1]);
      onApplied?.();
    } catch (error) {
      const failure = appendFailure(error, options.conflictMessage);
      if (failure.type === CommandRejection.unavailable) uncertain = { expectedVersion, events, context, onApplied };
      throw failure;
    }
  }

  /** Before deciding again, find out whether the last append whose answer was lost went through. */
  async function settle(): Promise<void> {
    if (!uncertain) return;
    const pending = uncertain;
    let head: { version: number; eventId: string | null };
    try {
      head = await options.activities.streamHead(options.streamId);
    } catch (error) {
      throw appendFailure(error, options.conflictMessage);
    }
    uncertain = null;
    if (head.version === pending.expectedVersion + pending.events.length) {
      options.apply(pending.events, pending.context, head.eventId!);
      pending.onApplied?.();
    } else if (head.version !== pending.expectedVersion) {
      // Only this workflow writes its stream: any other version is a defect to look into, not to guess past.
      throw new Error(`stream at version ${head.version}, expected ${pending.expectedVersion} or after its pending append`);
    }
  }

  return {
    record,
    settle,
    /** True while an append's outcome is unknown: the state may be behind the store. */
    get uncertain(): boolean {
      return uncertain !== null;
    },
  };
}

/** An append's failure as the command's caller should see it. */
function appendFailure(error: unknown, conflictMessage: string): ApplicationFailure {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    if (error.cause.type === INVALID_DATA) return reject(CommandRejection.invalid, error.cause.message);
    if (error.cause.type === VERSION_CONFLICT) return reject(CommandRejection.conflict, conflictMessage);
  }
  if (error instanceof ActivityFailure) {
    return reject(CommandRejection.unavailable, 'the event store could not be reached in time; nothing was changed');
  }
  if (error instanceof ApplicationFailure) return error;
  throw error;
}
