import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { EventStore } from '../../src/events/event-store.service';
import type { NewEvent } from '../../src/events/event.types';
import type { Projection } from '../../src/events/projection';
import { TransitionDetailProjection } from '../../src/transitions/reads/transition-detail.projection';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import { TaskProjection } from '../../src/tasks/task.projection';

/** The event store as the app wires it (the transition projections inline), outside Nest. */
export function eventStoreFor(
  dataSource: DataSource,
  projections: Projection[] = [new TransitionSummaryProjection(), new TaskProjection(), new TransitionDetailProjection()],
) {
  const discovery = {
    getProviders: () => projections.map((instance) => ({ instance, metatype: instance.constructor })),
  } as unknown as DiscoveryService;
  const store = new EventStore(dataSource, discovery);
  store.onModuleInit();
  return store;
}

export function anEvent(type = 'SomethingHappened', data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { user: 'coordinator-1', organisation: 'rotterdam', role: 'coordinator' },
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}
