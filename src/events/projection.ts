import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Event, RecordedEvent } from './event.types';

/**
 * A read model kept from events. `apply` runs inside the append's transaction (inline), and
 * again for every event when the projector rebuilds, so it must be idempotent and take every
 * value it writes from the event itself.
 */
export interface Projection<E extends Event = Event> {
  readonly name: string;
  /** The tables it fills; a rebuild empties them first. */
  readonly tables: readonly string[];
  /** The event types it reads; only these reach `apply`, and appends of others skip the transaction around it. */
  readonly handles: readonly E['type'][];
  apply(event: RecordedEvent<E>, manager: EntityManager): Promise<void>;
}

export const PROJECTION = Symbol('projection');

/** Marks a Nest provider implementing Projection; the event store applies it inline. */
export const InlineProjection = () => SetMetadata(PROJECTION, true);
