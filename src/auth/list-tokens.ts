import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runDatabaseTask } from '../database/task-database';
import { TokenListing, TokensService } from './tokens.service';

const COLUMNS: Array<keyof TokenListing> = ['user', 'role', 'organisation', 'label', 'created', 'expires', 'revoked', 'status'];

/**
 * `npm run token:list [-- --json]`: every token's user, role, organisation, label, creation,
 * expiry, revocation and status (valid, expired, revoked, or refused: an auditor of a provider).
 * Tokens themselves are never stored, so never shown.
 */
void runDatabaseTask('token:list', () => {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { json: { type: 'boolean' } } });
  return async (dataSource) => {
    const listing = await new TokensService(dataSource).list();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
      return;
    }
    const cell = (row: TokenListing, column: keyof TokenListing) => row[column] ?? '-';
    const widths = COLUMNS.map((column) => Math.max(column.length, ...listing.map((row) => String(cell(row, column)).length)));
    const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i])).join('  ').trimEnd();
    process.stdout.write(
      [line(COLUMNS), ...listing.map((row) => line(COLUMNS.map((column) => String(cell(row, column)))))].join('\n') + '\n',
    );
  };
});
