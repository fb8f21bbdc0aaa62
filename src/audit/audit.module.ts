import { Module } from '@nestjs/common';
import { TransitionsModule } from '../transitions/transitions.module';
import { AuditController } from './audit.controller';
import { AuditVerifier } from './audit-verifier.service';

@Module({
  imports: [TransitionsModule],
  controllers: [AuditController],
  providers: [AuditVerifier],
  exports: [AuditVerifier],
})
export class AuditModule {}
