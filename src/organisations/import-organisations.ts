import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { runDatabaseTask } from '../database/task-database';
import { parseOrganisationRegistry, registerOrganisations } from './organisation-registry';

/**
 * `npm run organisations:import -- registry.json`: registers municipalities, providers,
 * consortia and districts from a JSON file (format in the README), all or nothing. Needs only
 * the database (see runDatabaseTask).
 */
void runDatabaseTask('organisations:import', () => {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('name the JSON file to import');
  const registry = parseOrganisationRegistry(JSON.parse(readFileSync(file, 'utf8')));
  return async (dataSource) => {
    const counts = await dataSource.transaction((manager) => registerOrganisations(manager, registry));
    process.stdout.write(
      `Registered ${counts.organisations} organisations, ${counts.consortiumMembers} consortium members, ` +
        `${counts.districts} districts from ${file} (existing codes left as they were)\n`,
    );
  };
});
