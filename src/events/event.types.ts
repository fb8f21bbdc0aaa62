/** Who caused a change: a person (with organisation and role) or the system itself. */
export interface Actor {
  user: string;
  organisation: string | null;
  role: string;
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  workflowId?: string;
  runId?: string;
}

/**
 * A domain event as its feature decides it: a type and its data (as Emmett's `Event`). A
 * feature declares the union of its events, so every reader narrows on `type`.
 */
export interface Event<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
}

/** An event to append. Data holds codes and facts, never names or addresses of residents. */
export type NewEvent<E extends Event = Event> = E extends Event
  ? { eventId: string; type: E['type']; schemaVersion: number; data: E['data']; metadata: EventMetadata }
  : never;

/** An event as stored; typed as a feature's union once a reader has checked its type (`isOneOf`). */
export type RecordedEvent<E extends Event = Event> = E extends Event
  ? NewEvent<E> & {
      globalPosition: number;
      streamId: string;
      streamVersion: number;
      /** ISO 8601, UTC, millisecond precision (part of the hash). */
      recordedAt: string;
      previousHash: string | null;
      hash: string;
    }
  : never;

/** `expectedVersion`: the stream's current version the writer saw (0: must not exist yet); omit to append to any. */
export interface AppendOptions {
  expectedVersion?: number;
}

export interface AppendResult {
  streamId: string;
  /** Global positions of the appended (or, on a repeat, originally appended) events. */
  positions: number[];
  /** The stream's version after the append. */
  streamVersion: number;
  /** False when every event id existed already and nothing was written. */
  appended: boolean;
}

/** Narrows a stored event to a feature's union by its type. */
export function isOneOf<E extends Event>(event: RecordedEvent, types: readonly E['type'][]): event is RecordedEvent<E> {
  return (types as readonly string[]).includes(event.type);
}
