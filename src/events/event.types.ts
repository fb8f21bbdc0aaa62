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

/** An event to append. Data holds codes and facts, never names or addresses of residents. */
export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  /** ISO 8601, UTC, millisecond precision (part of the hash). */
  recordedAt: string;
  previousHash: string | null;
  hash: string;
}

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
