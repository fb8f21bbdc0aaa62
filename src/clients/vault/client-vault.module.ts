import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientVault } from './client-vault';

/**
 * Provides the ClientVault: the master key from CLIENT_DATA_MASTER_KEY (set by the environment,
 * or by the dev stack from its key file: see bootstrap.ts) and the application's DataSource.
 */
@Module({
  providers: [
    {
      provide: ClientVault,
      inject: [ConfigService, getDataSourceToken()],
      useFactory: (config: ConfigService, dataSource: DataSource) =>
        new ClientVault(Buffer.from(config.getOrThrow<string>('CLIENT_DATA_MASTER_KEY'), 'base64'), dataSource),
    },
  ],
  exports: [ClientVault],
})
export class ClientVaultModule {}
