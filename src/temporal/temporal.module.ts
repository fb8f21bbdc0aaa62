import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Client } from '@temporalio/client';
import { temporalClientProviders } from './temporal-client.providers';
import { CampaignWorkModule } from '../campaigns/campaign-work.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TemporalHealthIndicator } from './temporal.health';
import { TemporalWorkerService } from './temporal-worker.service';
import { TEMPORAL_DATA_CONVERTER } from './temporal.tokens';

@Module({})
export class TemporalModule {
  /** The Temporal client for the whole app; with `runWorker`, also a worker in this process. */
  static forRoot({ runWorker }: { runWorker: boolean }): DynamicModule {
    return {
      module: TemporalModule,
      global: true,
      imports: [TerminusModule, ...(runWorker ? [NotificationsModule, CampaignWorkModule] : [])],
      providers: [...temporalClientProviders, TemporalHealthIndicator, ...(runWorker ? [TemporalWorkerService] : [])],
      exports: [Client, TEMPORAL_DATA_CONVERTER, TemporalHealthIndicator],
    };
  }
}
