import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { runTask } from '../bootstrap';
import { parseOrganisationRegistry, registerOrganisations } from './organisation-registry';

/**
 * `npm run organisations:import -- registry.json`: registers municipalities, providers,
 * consortia and districts from a JSON file (format in the README), all or nothing.
 */
void runTask('organisations:import', async (app, log) => {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('name the JSON file to import');
  const registry = parseOrganisationRegistry(JSON.parse(readFileSync(file, 'utf8')));
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const counts = await dataSource.transaction((manager) => registerOrganisations(manager, registry));
  log.info(counts, `Registered from ${file}`);
  process.stdout.write(
    `Registered ${counts.organisations} organisations, ${counts.consortiumMembers} consortium members, ` +
      `${counts.districts} districts (existing codes left as they were)\n`,
  );
});
