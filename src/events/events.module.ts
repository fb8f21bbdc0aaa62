import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventStore } from './event-store.service';
import { PendingRebuilds } from './pending-rebuilds.service';
import { Projector } from './projector.service';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [EventStore, Projector, PendingRebuilds],
  exports: [EventStore, Projector],
})
export class EventsModule {}
