import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runTask } from '../bootstrap';
import { ROLES, Role } from './auth.types';
import { TokensService } from './tokens.service';

/**
 * `npm run token:create -- --role provider --org buurtkracht [--username name]`: creates a user
 * of that organisation and prints a bearer token for it, once.
 */
void runTask('token:create', async (app) => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { role: { type: 'string' }, org: { type: 'string' }, username: { type: 'string' } },
  });
  if (!values.role || !ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.org) throw new Error('--org must name an organisation (its code)');
  const username = values.username ?? `${values.role}-${values.org}-${Date.now().toString(36)}`;
  const tokens = app.get(TokensService);
  const userId = await tokens.createUser(username, values.role as Role, values.org);
  const token = await tokens.createToken(userId, 'token:create');
  process.stdout.write(`\nUser ${username} (${values.role}, ${values.org})\nBearer token: ${token}\n\n`);
});
