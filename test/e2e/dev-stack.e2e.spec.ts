import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/config/paths';
import { reachableDataDir } from '../../src/devstack/embedded-postgres';
import { goLiveInDays } from '../support/plans';
import { freePort, processesMentioning } from '../support/service-process';

/**
 * `npm start` as a newcomer runs it, minus the build: no DATABASE_URL, no TEMPORAL_ADDRESS.
 * The service starts an embedded PostgreSQL and the Temporal dev server itself, and stops all
 * of it on SIGINT; a restart finds the handover it created before. Its data lies in a private
 * folder (0700, as `mktemp -d` makes, or a clone under /root): as root, the cluster then lives
 * where the postgres account can reach it.
 */
describe('the one-command dev stack, its data in a private folder', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'overdracht-stack-')), `test-stack-${randomBytes(4).toString('hex')}`);
  const clusterDir = reachableDataDir(join(dataDir, 'postgres'));
  const goLiveDate = goLiveInDays(30);
  let service: ChildProcess | undefined;
  let output = '';
  let port: number;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    port = await freePort();
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI: process.env.TEMPORAL_CLI,
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_DIR: join(dataDir, 'postgres'),
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_DEV_DB_FILE: join(dataDir, 'temporal.sqlite'),
      SMTP_SINK_PORT: String(await freePort()),
      DEMO_TOKENS_FILE: join(dataDir, 'demo-tokens.json'),
      PAYLOAD_ENCRYPTION_KEY_FILE: join(dataDir, 'payload-encryption.key'),
      CLIENT_DATA_MASTER_KEY_FILE: join(dataDir, 'client-data-master.key'),
      CLIENT_ERASURE_LOG: join(dataDir, 'client-erasures.log'),
      LOG_LEVEL: 'info',
    };
  });
  afterAll(() => {
    service?.kill('SIGKILL');
    for (const pid of [...processesMentioning(dataDir), ...processesMentioning(clusterDir)]) process.kill(Number(pid), 'SIGKILL');
    rmSync(dirname(dataDir), { recursive: true, force: true });
    if (clusterDir !== join(dataDir, 'postgres')) rmSync(dirname(clusterDir), { recursive: true, force: true });
  });

  async function start(): Promise<ChildProcess> {
    // Its own process group, like a shell job: a group signal is what Ctrl-C in a terminal sends.
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not running after 90 s:\n${output}`)), 90_000);
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Overdracht is running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).toContain(`http://127.0.0.1:${port}/api/docs`);
    expect(output).toContain(`web UI http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    return child;
  }

  /** Ctrl-C reaches the whole foreground group (the service and the PostgreSQL it spawned); SIGTERM only the service. */
  async function stop(child: ChildProcess, how: 'ctrl-c' | 'sigterm'): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    if (how === 'ctrl-c') process.kill(-child.pid!, 'SIGINT');
    else child.kill('SIGTERM');
    const code = await exited;
    // The orderly path ran to its end (not embedded-postgres's exit-hook fallback).
    expect(output).toContain('"msg":"Stopped"');
    return code;
  }

  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  const coordinatorToken = () =>
    (JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>)['coordinator-enschede'];
  const authorised = (init: RequestInit = {}) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${coordinatorToken()}` },
  });

  it('starts everything with the demo programmes, serves a healthy API, and leaves no process behind on Ctrl-C', async () => {
    expect(statSync(dirname(dataDir)).mode & 0o777).toBe(0o700);
    service = await start();
    const health = await fetch(url('/health'));
    expect(health.status).toBe(200);
    // The machine-local keys, made once, owner-only.
    for (const keyFile of ['payload-encryption.key', 'client-data-master.key']) {
      expect(statSync(join(dataDir, keyFile)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dataDir, keyFile), 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    }
    expect(output).toContain(`Made a client data master key for this machine in ${join(dataDir, 'client-data-master.key')}`);
    expect(processesMentioning(dataDir).length).toBeGreaterThanOrEqual(1); // temporal
    expect(processesMentioning(clusterDir).length).toBeGreaterThanOrEqual(1); // postgres
    expect(output).toContain(`PostgreSQL   127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}  (embedded, data in ${clusterDir})`);
    expect(output).toContain('Demo data    18 handovers (Rotterdam, Enschede), seeded now');
    expect(output).toMatch(/coordinator-rotterdam\s+ovd_[A-Za-z0-9_-]{43}/);

    const created = await fetch(
      url('/transitions'),
      authorised({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          municipality: 'enschede',
          district: 'centrum',
          outgoingProvider: 'stadsdeelwerk',
          incomingProvider: 'buurtwerk-oost',
          goLiveDate,
        }),
      }),
    );
    expect(created.status).toBe(201);

    expect(await stop(service, 'ctrl-c')).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(clusterDir)).toEqual([]);
  });

  it('reuses its data on the next start, and stops in order on SIGTERM', async () => {
    service = await start();
    const id = `enschede.centrum.${goLiveDate}`;
    expect(output).toContain('Demo data    18 handovers (Rotterdam, Enschede)'); // the demo ones, not the one made since
    const { items: list } = (await (await fetch(url('/transitions'), authorised())).json()) as { items: Array<{ transitionId: string }> };
    expect(list.map((row) => row.transitionId)).toContain(id);
    expect(list).toHaveLength(6);
    const state = await fetch(url(`/transitions/${id}`), authorised());
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ transitionId: id, state: 'planned' });

    expect(await stop(service, 'sigterm')).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(clusterDir)).toEqual([]);
  });

  it('takes over the servers a killed run left behind, and stops them on Ctrl-C', async () => {
    service = await start();
    const servers = [...processesMentioning(dataDir), ...processesMentioning(clusterDir)];
    expect(servers.length).toBeGreaterThanOrEqual(2);
    const killed = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGKILL'); // the service alone: its Temporal and PostgreSQL servers keep running
    await killed;
    expect(processesMentioning(dataDir).length + processesMentioning(clusterDir).length).toBeGreaterThanOrEqual(2);

    service = await start();
    expect(output).toContain('Taking over the Temporal dev server a stopped run left');
    expect(output).toContain('Taking over the PostgreSQL server a stopped run left');
    expect(await stop(service, 'ctrl-c')).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(clusterDir)).toEqual([]);
  });
});
