import { CreateEventStore1763870000000 } from './1763870000000-create-event-store';
import { CreateTransitionReadModels1763880000000 } from './1763880000000-create-transition-read-models';
import { CreateOrganisationsPlansAccess1763890000000 } from './1763890000000-create-organisations-plans-access';
import { FasterAppend1764000000000 } from './1764000000000-faster-append';
import { TokenExpiryRevocation1764100000000 } from './1764100000000-token-expiry-revocation';
import { ClientTransfers1764200000000 } from './1764200000000-client-transfers';
import { ResidentCampaigns1764300000000 } from './1764300000000-resident-campaigns';
import { WebSessions1764400000000 } from './1764400000000-web-sessions';
import { TransitionDetails1764410000000 } from './1764410000000-transition-details';
import { ReadinessVerdicts1764420000000 } from './1764420000000-readiness-verdicts';
import { OperatorRole1764450000000 } from './1764450000000-operator-role';
import { ReadIndexes1764465000000 } from './1764465000000-read-indexes';

/** Every migration, oldest first. */
export const migrations = [
  CreateEventStore1763870000000,
  CreateTransitionReadModels1763880000000,
  CreateOrganisationsPlansAccess1763890000000,
  FasterAppend1764000000000,
  TokenExpiryRevocation1764100000000,
  ClientTransfers1764200000000,
  ResidentCampaigns1764300000000,
  WebSessions1764400000000,
  TransitionDetails1764410000000,
  ReadinessVerdicts1764420000000,
  OperatorRole1764450000000,
  ReadIndexes1764465000000,
];
