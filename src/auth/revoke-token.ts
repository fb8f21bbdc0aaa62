import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runDatabaseTask } from '../database/task-database';
import { RevokeWhich, TokensService } from './tokens.service';

/**
 * `npm run token:revoke -- --user name [--label text]`: revokes that user's tokens (those with
 * the label only, when given); `--token -` revokes the one token read from stdin (a token as
 * the value works too, but stays in the shell's history). It applies to the next request.
 * Never prints a token.
 */
void runDatabaseTask('token:revoke', () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { user: { type: 'string' }, label: { type: 'string' }, token: { type: 'string' } },
  });
  if ((values.user === undefined) === (values.token === undefined)) {
    throw new Error('name the tokens to revoke: --user name [--label text], or --token - (the token on stdin)');
  }
  if (values.token !== undefined && values.label !== undefined) throw new Error('--label goes with --user');
  const which: RevokeWhich =
    values.token !== undefined
      ? { token: (values.token === '-' ? readFileSync(0, 'utf8') : values.token).trim() }
      : { username: values.user!, label: values.label };

  return async (dataSource) => {
    const revoked = await new TokensService(dataSource).revoke(which);
    if ('token' in which) {
      if (revoked === 0) throw new Error('that token is unknown or revoked already');
      process.stdout.write('Revoked 1 token\n');
      return;
    }
    const labelled = which.label === undefined ? '' : ` labelled ${which.label}`;
    if (revoked === 0) throw new Error(`user ${which.username} has no token${labelled} in force`);
    process.stdout.write(`Revoked ${revoked} token${revoked === 1 ? '' : 's'}${labelled} of ${which.username}\n`);
  };
});
