import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataConverter } from '@temporalio/common';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { projectPath } from '../config/paths';
import { DataSource } from 'typeorm';
import { EventStore } from '../events/event-store.service';
import { CampaignWork } from '../campaigns/campaign-work.module';
import { Mailer } from '../notifications/mailer.service';
import { createActivities } from './activities';
import { TEMPORAL_DATA_CONVERTER } from './temporal.tokens';

/**
 * Runs a Temporal worker inside the Nest application: workflows from `workflows/` (bundled at
 * start), the activities of src/temporal/activities.ts. Its sticky cache and concurrency come
 * from WORKER_MAX_CACHED_WORKFLOWS, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS and
 * WORKER_MAX_CONCURRENT_ACTIVITIES (memory grows with the cache: each cached workflow keeps its
 * isolate state). It stops before the application's other shutdown hooks run (the Temporal
 * client's connection and the database close in onApplicationShutdown), so its in-flight
 * activities finish with both still there.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: ConfigService,
    @Inject(TEMPORAL_DATA_CONVERTER) private readonly dataConverter: DataConverter,
    private readonly eventStore: EventStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly temporal: Client,
    private readonly campaignWork: CampaignWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const taskQueue = this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE');
    this.connection = await NativeConnection.connect({
      address: this.config.getOrThrow<string>('TEMPORAL_ADDRESS'),
    });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.getOrThrow<string>('TEMPORAL_NAMESPACE'),
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({
        eventStore: this.eventStore,
        dataSource: this.dataSource,
        mailer: this.mailer,
        temporal: this.temporal,
        erasureLogFile: projectPath(this.config.getOrThrow<string>('CLIENT_ERASURE_LOG')),
        taskQueue,
        campaigns: this.campaignWork,
      }),
      dataConverter: this.dataConverter,
      maxCachedWorkflows: this.config.getOrThrow<number>('WORKER_MAX_CACHED_WORKFLOWS'),
      maxConcurrentWorkflowTaskExecutions: this.config.getOrThrow<number>('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
      maxConcurrentActivityTaskExecutions: this.config.getOrThrow<number>('WORKER_MAX_CONCURRENT_ACTIVITIES'),
    });
    this.running = this.worker.run();
    this.running.catch((error) => this.logger.error(`Temporal worker stopped: ${String(error)}`));
    this.logger.log(`Temporal worker polling task queue "${taskQueue}"`);
  }

  /** Stops polling and waits for in-flight activities and workflow tasks to finish. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.log('Temporal worker stopping: in-flight activities finish');
      this.worker.shutdown();
    }
    await this.running?.catch(() => undefined);
    if (this.worker) this.logger.log('Temporal worker stopped');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    this.campaignWork.close();
    await this.connection?.close();
    this.connection = undefined;
  }
}
