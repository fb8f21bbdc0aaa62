import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientVault } from '../clients/vault/client-vault';
import { ClientVaultModule } from '../clients/vault/client-vault.module';
import { AudiencesModule } from './audiences/audiences.module';
import { SubscriberVault } from './audiences/subscriber-vault';
import { CampaignEmailComposer } from './email/campaign-email-composer';
import { LetterAddressees } from './letters/letter-addressees';
import { LetterPrinter } from './letters/letter-printer';
import { CampaignEmailSender } from './sending/campaign-email-sender';
import { createCampaignEmailSender } from './sending/campaign-email.config';

/** What the campaign's activities work with: the ledger's e-mail sender, the letters' addressees and printer. */
export class CampaignWork {
  constructor(
    readonly emailSender: CampaignEmailSender,
    readonly letterAddressees: LetterAddressees,
    readonly printer: LetterPrinter,
  ) {}

  close(): void {
    this.emailSender.close();
    void this.printer.close();
  }
}

/** The campaign's worker side, for the Temporal worker (see src/temporal/activities.ts). */
@Module({
  imports: [ClientVaultModule, AudiencesModule],
  providers: [
    {
      provide: CampaignWork,
      inject: [ConfigService, getDataSourceToken(), ClientVault, SubscriberVault],
      useFactory: (config: ConfigService, dataSource: DataSource, clients: ClientVault, subscribers: SubscriberVault) => {
        return new CampaignWork(
          createCampaignEmailSender(config, dataSource, new CampaignEmailComposer(dataSource, subscribers)),
          new LetterAddressees(dataSource, clients, subscribers),
          new LetterPrinter(),
        );
      },
    },
  ],
  exports: [CampaignWork],
})
export class CampaignWorkModule {}
