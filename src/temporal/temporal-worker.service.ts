import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TEMPORAL_DATA_CONVERTER } from './temporal.tokens';
import { TEMPORAL_ACTIVITIES } from './temporal-activities.decorator';

type ActivityFunction = (...args: unknown[]) => Promise<unknown>;

/** The public methods of an activities provider, bound to it, by name. */
export function activitiesOf(instance: object): Record<string, ActivityFunction> {
  const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
  return Object.fromEntries(
    Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function')
      .map((name) => [name, (prototype[name] as ActivityFunction).bind(instance)]),
  );
}

/**
 * Runs a Temporal worker inside the Nest application: workflows from `workflows/` (bundled at
 * start), activities from every provider marked with @TemporalActivities().
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: ConfigService,
    private readonly discovery: DiscoveryService,
    @Inject(TEMPORAL_DATA_CONVERTER) private readonly dataConverter: DataConverter,
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
      activities: this.discoverActivities(),
      dataConverter: this.dataConverter,
    });
    this.running = this.worker.run();
    this.running.catch((error) => this.logger.error(`Temporal worker stopped: ${String(error)}`));
    this.logger.log(`Temporal worker polling task queue "${taskQueue}"`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }

  private discoverActivities(): Record<string, ActivityFunction> {
    const activities: Record<string, ActivityFunction> = {};
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype || !Reflect.getMetadata(TEMPORAL_ACTIVITIES, wrapper.metatype)) continue;
      for (const [name, activity] of Object.entries(activitiesOf(instance))) {
        if (activities[name]) throw new Error(`Two activities are named ${name}`);
        activities[name] = activity;
      }
    }
    return activities;
  }
}
