import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from '@temporalio/client';
import { TEMPORAL_CLIENT_CONNECTION } from './temporal.tokens';
import { trackTemporalCall } from './within-deadline';

/** A health check waits this long for Temporal's answer. */
const CHECK_WITHIN_MS = 3_000;

/** Healthy when the Temporal frontend answers for the configured namespace. */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    @Inject(TEMPORAL_CLIENT_CONNECTION) private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string, namespace: string) {
    const indicator = this.health.check(key);
    try {
      await trackTemporalCall((signal) =>
        this.connection.withAbortSignal(signal, () =>
          this.connection.withDeadline(Date.now() + CHECK_WITHIN_MS, () => this.connection.workflowService.describeNamespace({ namespace })),
        ),
      );
      return indicator.up({ namespace });
    } catch (error) {
      return indicator.down({ namespace, message: error instanceof Error ? error.message : String(error) });
    }
  }
}
