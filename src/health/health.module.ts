import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HttpLifecycle } from '../http/request-lifecycle';
import { HealthController } from './health.controller';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HttpLifecycle],
  exports: [HttpLifecycle],
})
export class HealthModule {}
