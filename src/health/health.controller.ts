import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { HttpLifecycle } from '../http/request-lifecycle';
import { TemporalHealthIndicator } from '../temporal/temporal.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
    private readonly config: ConfigService,
    private readonly lifecycle: HttpLifecycle,
  ) {}

  /** 200 when PostgreSQL and Temporal both answer, 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database'),
      () => this.temporal.check('temporal', this.config.getOrThrow<string>('TEMPORAL_NAMESPACE')),
    ]);
  }

  /**
   * Readiness, for a load balancer or Kubernetes: 200 while the service takes requests, 503 from
   * the moment it starts to stop (SIGINT/SIGTERM), while in-flight requests drain.
   */
  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'Taking requests',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ready'] } } },
  })
  @ApiServiceUnavailableResponse({ description: 'Stopping (or starting): send no new requests here' })
  ready() {
    if (this.lifecycle.draining) throw new ServiceUnavailableException('the service is stopping');
    return { status: 'ready' };
  }
}
