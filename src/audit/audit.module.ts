import { Module } from '@nestjs/common';
import { TransitionsModule } from '../transitions/transitions.module';
import { AuditController } from './audit.controller';
import { AuditExports } from './audit-exports';
import { AuditVerifier } from './audit-verifier.service';

@Module({
  imports: [TransitionsModule],
  controllers: [AuditController],
  providers: [AuditVerifier, AuditExports],
  exports: [AuditVerifier, AuditExports],
})
export class AuditModule {}
