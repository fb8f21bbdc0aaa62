import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CampaignActivityDependencies, createCampaignActivities } from '../campaigns/campaign.activities';
import { createClientActivities } from '../clients/client.activities';
import { createClientImportActivities } from '../clients/import/client-import.activities';
import { createEventStoreActivities } from '../events/event-store.activities';
import { createForecastActivities } from '../forecast/readiness-check';
import type { EventStore } from '../events/event-store.service';
import type { Mailer } from '../notifications/mailer.service';
import { createNotificationActivities } from '../notifications/notification.activities';

export interface ActivityDependencies {
  eventStore: EventStore;
  dataSource: DataSource;
  mailer: Mailer;
  temporal: Client;
  erasureLogFile: string;
  taskQueue: string;
  /** The campaigns' sender and printer; tests of other features run without them. */
  campaigns?: CampaignActivityDependencies['campaigns'];
}

/** Every activity the worker registers, each feature's built from its dependencies. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createEventStoreActivities(dependencies.eventStore),
    ...createNotificationActivities(dependencies),
    ...createClientActivities(dependencies),
    ...createClientImportActivities(dependencies),
    ...createForecastActivities(dependencies),
    ...(dependencies.campaigns ? createCampaignActivities({ ...dependencies, campaigns: dependencies.campaigns }) : {}),
  };
}
