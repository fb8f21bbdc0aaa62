import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runDatabaseTask } from '../database/task-database';
import { ROLES, Role } from './auth.types';
import { tokenExpiry } from './token-expiry';
import { TokensService } from './tokens.service';

/**
 * `npm run token:create -- --role provider --org buurtkracht [--username name] [--label text]
 * [--expires-in 90d | --expires 2027-01-01]`: creates a user of that organisation and prints a
 * bearer token for it, once. A coordinator, an auditor or an operator belongs to a municipality,
 * a provider to a provider; an operator may only decode workflow payloads (src/codec/). Needs only the database (see runDatabaseTask).
 */
void runDatabaseTask('token:create', () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      username: { type: 'string' },
      label: { type: 'string' },
      'expires-in': { type: 'string' },
      expires: { type: 'string' },
    },
  });
  if (!values.role || !ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.org) throw new Error('--org must name an organisation (its code)');
  const role = values.role as Role;
  const organisation = values.org;
  const expiresAt = tokenExpiry({ expiresIn: values['expires-in'], expires: values.expires });
  const username = values.username ?? `${role}-${organisation}-${Date.now().toString(36)}`;
  const label = values.label ?? 'token:create';

  return async (dataSource) => {
    const tokens = new TokensService(dataSource);
    const userId = await tokens.createUser(username, role, organisation);
    const token = await tokens.createToken(userId, label, { expiresAt });
    process.stdout.write(
      `\nUser ${username} (${role}, ${organisation})\n` +
        `Expires: ${expiresAt ? expiresAt.toISOString() : 'never (until revoked)'}\n` +
        `Bearer token: ${token}\n\n`,
    );
  };
});
