import 'reflect-metadata';
import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import { projectPath } from '../../config/paths';
import { runDatabaseTask } from '../../database/task-database';
import { shredClients } from './client-shredding';
import { readErasures } from './erasure-log';

export interface ReapplyCounts {
  /** Entries of this kind in the erasure log. */
  logged: number;
  /** Their erasure events in the event store (PersonalDataErased, SubscriberErased). */
  recorded: number;
  /** Those whose key was there again, now erased. */
  reErased: number;
  /** Those already without a key. */
  alreadyGone: number;
}

export interface ReapplyResult {
  clients: ReapplyCounts;
  /** E-mail subscribers of resident campaigns. */
  subscribers: ReapplyCounts;
}

/**
 * Erases again every client and every campaign e-mail subscriber named in the erasure log or in
 * an erasure event (PersonalDataErased, SubscriberErased) whose key is present (after a restore
 * from a backup taken before their erasure, say), in one transaction.
 */
export async function reapplyErasures(dataSource: DataSource, logFile: string): Promise<ReapplyResult> {
  const logged = await readErasures(logFile);
  const loggedClients = logged.flatMap((entry) => (entry.kind === 'client' ? [entry.pseudonym] : []));
  const loggedSubscribers = logged.flatMap((entry) => (entry.kind === 'subscriber' ? [entry.subscriberId] : []));
  const events: Array<{ type: string; id: string | null }> = await dataSource.query(
    `SELECT type, CASE type WHEN 'PersonalDataErased' THEN data->>'pseudonym' ELSE data->>'subscriberId' END AS id
     FROM events WHERE type IN ('PersonalDataErased', 'SubscriberErased')`,
  );
  const recorded = (type: string) => events.filter((event) => event.type === type).map((event) => event.id);
  const distinct = (...lists: Array<Array<string | null>>) => [...new Set(lists.flat().filter((id): id is string => Boolean(id)))];
  const pseudonyms = distinct(loggedClients, recorded('PersonalDataErased'));
  const subscriberIds = distinct(loggedSubscribers, recorded('SubscriberErased'));

  const { clientsErased, subscribersErased } = await dataSource.transaction(async (manager) => {
    const clientsErased = await shredClients(manager, pseudonyms);
    // A subscriber's key lives in its row, with its sealed data: deleting the row is the erasure.
    const [{ erased }]: Array<{ erased: number }> =
      subscriberIds.length === 0
        ? [{ erased: 0 }]
        : await manager.query(
            `WITH gone AS (DELETE FROM campaign_subscribers WHERE subscriber_id = ANY ($1::uuid[]) RETURNING 1)
             SELECT count(*)::int AS erased FROM gone`,
            [subscriberIds],
          );
    return { clientsErased, subscribersErased: erased };
  });
  return {
    clients: {
      logged: loggedClients.length,
      recorded: recorded('PersonalDataErased').length,
      reErased: clientsErased,
      alreadyGone: pseudonyms.length - clientsErased,
    },
    subscribers: {
      logged: loggedSubscribers.length,
      recorded: recorded('SubscriberErased').length,
      reErased: subscribersErased,
      alreadyGone: subscriberIds.length - subscribersErased,
    },
  };
}

/**
 * `npm run privacy:reapply-erasures`: run after restoring the database from a backup. Reads
 * CLIENT_ERASURE_LOG and the event store; prints counts only. Needs only the database (see
 * runDatabaseTask), not the master key: erasing is deleting.
 */
if (require.main === module) {
  void runDatabaseTask('privacy:reapply-erasures', () => {
    const logFile = projectPath(validateEnvironment(process.env).CLIENT_ERASURE_LOG);
    return async (dataSource) => {
      const { clients, subscribers } = await reapplyErasures(dataSource, logFile);
      process.stdout.write(
        `Erasure log ${logFile}: ${existsSync(logFile) ? `${clients.logged} client and ${subscribers.logged} subscriber entries` : 'none (no file)'}; ` +
          `event store: ${clients.recorded} PersonalDataErased and ${subscribers.recorded} SubscriberErased events.\n` +
          `Erased again: ${clients.reErased} client(s) and ${subscribers.reErased} e-mail subscriber(s) whose key was present; ` +
          `already erased: ${clients.alreadyGone} client(s), ${subscribers.alreadyGone} subscriber(s).\n`,
      );
    };
  });
}
