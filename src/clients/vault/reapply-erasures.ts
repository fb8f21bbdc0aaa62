import 'reflect-metadata';
import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import { projectPath } from '../../config/paths';
import { runDatabaseTask } from '../../database/task-database';
import { shredClients } from './client-shredding';
import { readErasures } from './erasure-log';

export interface ReapplyResult {
  /** Entries in the erasure log. */
  logged: number;
  /** PersonalDataErased events in the event store. */
  recorded: number;
  /** Clients whose key was there again, now erased. */
  reErased: number;
  /** Clients already without a key. */
  alreadyGone: number;
}

/**
 * Erases again every client named in the erasure log or in a PersonalDataErased event whose key
 * is present (after a restore from a backup taken before their erasure, say), in one transaction.
 */
export async function reapplyErasures(dataSource: DataSource, logFile: string): Promise<ReapplyResult> {
  const logged = await readErasures(logFile);
  const events: Array<{ pseudonym: string }> = await dataSource.query(
    `SELECT data->>'pseudonym' AS pseudonym FROM events WHERE type = 'PersonalDataErased'`,
  );
  const pseudonyms = [
    ...new Set([...logged.map((entry) => entry.pseudonym), ...events.map((event) => event.pseudonym)].filter(Boolean)),
  ];
  const reErased = await dataSource.transaction((manager) => shredClients(manager, pseudonyms));
  return { logged: logged.length, recorded: events.length, reErased, alreadyGone: pseudonyms.length - reErased };
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
      const result = await reapplyErasures(dataSource, logFile);
      process.stdout.write(
        `Erasure log ${logFile}: ${existsSync(logFile) ? `${result.logged} entries` : 'none (no file)'}; ` +
          `event store: ${result.recorded} PersonalDataErased events.\n` +
          `Erased again: ${result.reErased} client(s) whose key was present; already erased: ${result.alreadyGone}.\n`,
      );
    };
  });
}
