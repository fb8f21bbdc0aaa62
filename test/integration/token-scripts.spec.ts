import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokensService } from '../../src/auth/tokens.service';
import { projectRoot } from '../../src/config/paths';
import { validateEnvironment } from '../../src/config/environment';
import { reachableDataDir } from '../../src/devstack/embedded-postgres';
import { isPortOpen } from '../../src/devstack/wait-for';
import { locateTaskDatabase, NO_DATABASE } from '../../src/database/task-database';
import { seedOrganisations } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { freePort } from '../support/service-process';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

describe('token scripts: npm run token:create, token:list, token:revoke', () => {
  let db: TestDatabase;
  let work: string;
  /** A stand-in for the Temporal CLI that leaves a mark if anything ever runs it. */
  let temporalMark: string;
  let baseEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOrganisations(db.admin);
    work = mkdtempSync(join(tmpdir(), 'overdracht-token-scripts-'));
    chmodSync(work, 0o755);
    temporalMark = join(work, 'temporal-was-started');
    const fakeTemporal = join(work, 'temporal');
    writeFileSync(fakeTemporal, `#!/bin/sh\ntouch '${temporalMark}'\nexit 1\n`, { mode: 0o755 });
    baseEnv = { ...process.env, TEMPORAL_CLI: fakeTemporal, LOG_LEVEL: 'silent' };
    for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) delete baseEnv[name];
  });
  afterAll(async () => {
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs a script as its npm script does (ts-node, transpile only), from the project folder. */
  function script(file: string, args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Run> {
    const started = Date.now();
    const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', file, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdin!.end(stdin);
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
  }
  const withDatabase = (): NodeJS.ProcessEnv => ({ ...baseEnv, DATABASE_URL: db.url });
  const create = (args: string[], env = withDatabase()) => script('src/auth/create-token.ts', args, env);
  const list = (env = withDatabase()) => script('src/auth/list-tokens.ts', [], env);
  const revoke = (args: string[], stdin = '') => script('src/auth/revoke-token.ts', args, withDatabase(), stdin);

  it('create a token on DATABASE_URL alone, starting no Temporal, list it without the token, revoke it from stdin', async () => {
    const created = await create(['--role', 'coordinator', '--org', 'rotterdam', '--username', 'script-user', '--label', 'ci', '--expires-in', '30d']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const token = /Bearer token: (ovd_\S+)/.exec(created.stdout)![1];
    expect(created.stdout).toMatch(/Expires: \d{4}-\d{2}-\d{2}T/);
    const tokens = new TokensService(db.app);
    expect(await tokens.authenticate(token)).toMatchObject({ username: 'script-user', role: 'coordinator', organisation: 'rotterdam' });
    expect(existsSync(temporalMark)).toBe(false);

    const listed = await list();
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0].split(/\s+/)).toEqual(['user', 'role', 'organisation', 'label', 'created', 'expires', 'revoked', 'status']);
    expect(listed.stdout).toMatch(/script-user\s+coordinator\s+rotterdam\s+ci\s+\S+\s+\d{4}-\S+\s+-\s+valid/);
    expect(listed.stdout).not.toContain(token);
    expect(listed.stdout).not.toContain('ovd_');

    const revoked = await revoke(['--token', '-'], `${token}\n`);
    expect(revoked).toMatchObject({ code: 0, stdout: 'Revoked 1 token\n' });
    expect(await tokens.authenticate(token)).toBeUndefined();
    expect((await list()).stdout).toMatch(/script-user\s+coordinator\s+rotterdam\s+ci\s+\S+\s+\S+\s+\d{4}-\S+\s+revoked/);

    const again = await revoke(['--user', 'script-user']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('token:revoke failed: user script-user has no token in force\n');
    expect(existsSync(temporalMark)).toBe(false);
    process.stdout.write(`token:create took ${created.ms} ms, token:list ${listed.ms} ms\n`);
  });

  it('revoke by user and label', async () => {
    const tokens = new TokensService(db.app);
    const id = await tokens.createUser('two-tokens', 'auditor', 'enschede');
    const [first, second] = [await tokens.createToken(id, 'laptop'), await tokens.createToken(id, 'phone')];
    expect(await revoke(['--user', 'two-tokens', '--label', 'phone'])).toMatchObject({ code: 0, stdout: 'Revoked 1 token labelled phone of two-tokens\n' });
    expect(await tokens.authenticate(second)).toBeUndefined();
    expect(await tokens.authenticate(first)).toBeDefined();
  });

  it('refuse what is wrong with a one-line message and exit code 1', async () => {
    const refusals: Array<[Promise<Run>, string]> = [
      [create(['--role', 'auditor', '--org', 'buurtkracht']), 'token:create failed: an auditor must belong to a municipality; buurtkracht is a provider'],
      [create(['--role', 'coordinator', '--org', 'rotterdam', '--expires', '2020-01-01']), 'token:create failed: --expires must be in the future'],
      [revoke(['--user', 'script-user', '--token', '-']), 'token:revoke failed: name the tokens to revoke'],
      [revoke(['--token', '-'], 'ovd_unknown'), 'token:revoke failed: that token is unknown or revoked already'],
    ];
    for (const [run, message] of refusals) {
      const { code, stdout, stderr } = await run;
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toMatch(/^[^\n]+\n$/);
      expect(stderr.startsWith(message)).toBe(true);
    }
  });

  describe('without DATABASE_URL', () => {
    it("stop with a clear message when this project's embedded PostgreSQL is not running, starting nothing", async () => {
      const port = await freePort();
      const dataDir = join(work, 'postgres');
      const env = { ...baseEnv, EMBEDDED_POSTGRES_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(port) };
      const run = await create(['--role', 'coordinator', '--org', 'rotterdam'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('token:create failed: no database to work on: start the service first (npm start) or set DATABASE_URL\n');
      expect(await isPortOpen(port)).toBe(false);
      expect(existsSync(join(reachableDataDir(dataDir), 'PG_VERSION'))).toBe(false);
      expect(existsSync(temporalMark)).toBe(false);
    });

    describe("use the dev stack's embedded PostgreSQL when its server record names a live server on the port", () => {
      let port: number;
      let listener: Server;
      let fakeServer: ChildProcess;
      const dataDir = () => join(work, 'embedded');
      const record = () => `${dataDir()}.server.json`;
      const envFor = (overrides: Record<string, string> = {}) =>
        validateEnvironment({ EMBEDDED_POSTGRES_DIR: dataDir(), EMBEDDED_POSTGRES_PORT: String(port), ...overrides });

      beforeAll(async () => {
        expect(reachableDataDir(dataDir())).toBe(dataDir());
        port = await freePort();
        listener = createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
        // A process whose command line names the cluster's folder, as `postgres -D <dir>` does.
        fakeServer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', dataDir()], { stdio: 'ignore' });
        writeFileSync(record(), JSON.stringify({ pid: fakeServer.pid, ownerPid: fakeServer.pid, port }));
      });
      afterAll(async () => {
        fakeServer?.kill();
        await new Promise((resolve) => listener?.close(resolve));
      });

      it('found: its URL, the dev stack database', async () => {
        const found = await locateTaskDatabase(envFor());
        expect(found.url).toBe(`postgres://postgres:overdracht-dev@127.0.0.1:${port}/overdracht`);
        expect(found.migrationUrl).toBe(found.url);
        expect(found.location).not.toContain('overdracht-dev');
      });

      it('not when the record names another port, or DATABASE_URL is set', async () => {
        await expect(locateTaskDatabase(envFor({ EMBEDDED_POSTGRES_PORT: String(port === 65535 ? 1 : port + 1) }))).rejects.toThrow(NO_DATABASE);
        expect((await locateTaskDatabase(envFor({ DATABASE_URL: db.url }))).url).toBe(db.url);
      });

      it('not once the server has stopped', async () => {
        fakeServer.kill();
        await new Promise((resolve) => fakeServer.once('exit', resolve));
        await expect(locateTaskDatabase(envFor())).rejects.toThrow(NO_DATABASE);
      });
    });
  });
});
