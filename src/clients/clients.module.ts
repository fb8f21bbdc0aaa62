import { Module } from '@nestjs/common';
import { ClientTransferProjection } from './client-transfer.projection';
import { ClientReadsService } from './reads/client-reads.service';
import { ClientsController, HandoverClientsController, MyClientsController } from './reads/clients.controller';
import { StallPolicy } from './stalled';
import { TransferAccess } from './transfer-access';
import { BulkCommandsController } from './transfers/bulk-commands.controller';
import { BulkTransferCommands } from './transfers/bulk-commands';
import { TransferCommandsController } from './transfers/transfer-commands.controller';
import { TransferCommandsService } from './transfers/transfer-commands.service';
import { ClientVaultModule } from './vault/client-vault.module';

/**
 * Client transfers after the import: the read model (its projection, applied inline wherever
 * events are appended, so in the worker too), the commands on a transfer (one and in bulk), the
 * reads, the file packages and erasure. The inbox page sends the bulk commands too.
 */
@Module({
  imports: [ClientVaultModule],
  controllers: [TransferCommandsController, BulkCommandsController, ClientsController, HandoverClientsController, MyClientsController],
  providers: [ClientTransferProjection, TransferAccess, StallPolicy, TransferCommandsService, BulkTransferCommands, ClientReadsService],
  exports: [TransferAccess, BulkTransferCommands, ClientReadsService],
})
export class ClientsModule {}
