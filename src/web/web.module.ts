import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ClientsModule } from '../clients/clients.module';
import { ForecastService } from '../forecast/forecast.service';
import { TransitionsModule } from '../transitions/transitions.module';
import { BulkTransfersController } from './pages/inbox/bulk-transfers.controller';
import { HandoverActionsController } from './pages/handover/handover-actions.controller';
import { HandoverAuditController } from './pages/handover/handover-audit.controller';
import { HandoverController } from './pages/handover/handover.controller';
import { HandoverPage } from './pages/handover/handover-page';
import { HandoverReads } from './pages/handover/handover-reads';
import { InboxController } from './pages/inbox/inbox.controller';
import { InboxReads } from './pages/inbox/inbox-reads';
import { WaitingTransfers } from './pages/inbox/waiting-transfers';
import { OperatorController } from './pages/operator/operator.controller';
import { OverviewController } from './pages/overview/overview.controller';
import { OverviewReads } from './pages/overview/overview-reads';
import { SignInController } from './pages/sign-in/sign-in.controller';
import { StatementController } from './pages/statement/statement.controller';
import { WebSessionStore } from './session/web-session-store';

/** The web pages: server-rendered, in Dutch, for coordinators and providers (see src/web/web-http.ts for sessions and CSRF). */
@Module({
  imports: [TransitionsModule, ClientsModule, AuditModule],
  controllers: [
    SignInController, StatementController, OverviewController, InboxController, BulkTransfersController,
    HandoverController, HandoverActionsController, HandoverAuditController, OperatorController,
  ],
  providers: [WebSessionStore, OverviewReads, InboxReads, WaitingTransfers, ForecastService, HandoverPage, HandoverReads],
})
export class WebModule {}
