import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditVerifier } from './audit-verifier.service';

@Module({
  controllers: [AuditController],
  providers: [AuditVerifier],
  exports: [AuditVerifier],
})
export class AuditModule {}
