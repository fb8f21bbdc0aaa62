import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { projectPath } from '../../config/paths';
import { AudiencesController } from './audiences.controller';
import { AudiencesService } from './audiences.service';
import { SubscriberVault } from './subscriber-vault';

/**
 * The campaign audiences of a handover: addresses and e-mail subscribers (issue 10, 1a/1b).
 * SubscriberVault takes the client data master key (CLIENT_DATA_MASTER_KEY), as the ClientVault,
 * and writes its erasures to the same erasure log (CLIENT_ERASURE_LOG).
 */
@Module({
  controllers: [AudiencesController],
  providers: [
    AudiencesService,
    {
      provide: SubscriberVault,
      inject: [ConfigService, getDataSourceToken()],
      useFactory: (config: ConfigService, dataSource: DataSource) =>
        new SubscriberVault(
          Buffer.from(config.getOrThrow<string>('CLIENT_DATA_MASTER_KEY'), 'base64'),
          dataSource,
          projectPath(config.getOrThrow<string>('CLIENT_ERASURE_LOG')),
        ),
    },
  ],
  exports: [SubscriberVault],
})
export class AudiencesModule {}
