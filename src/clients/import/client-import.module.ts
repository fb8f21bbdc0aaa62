import { Module } from '@nestjs/common';
import { ClientVaultModule } from '../vault/client-vault.module';
import { ClientImportController } from './client-import.controller';
import { ClientImportService } from './client-import.service';

@Module({
  imports: [ClientVaultModule],
  controllers: [ClientImportController],
  providers: [ClientImportService],
})
export class ClientImportModule {}
