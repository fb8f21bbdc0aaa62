import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths';

/** A free TCP port on loopback (free now; the caller binds it soon after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Pids of the processes whose command line holds `marker` (our children carry it as an argument or in a path). */
export function processesMentioning(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export interface ServiceProcessOptions {
  /** For logs and reports: `api`, `worker-1`, … */
  name: string;
  /** `src/main.ts` (API, and a worker unless RUN_WORKER=false) or `src/worker.ts` (a worker only). */
  script: 'src/main.ts' | 'src/worker.ts';
  env: NodeJS.ProcessEnv;
  /** Put on the command line, so that `pgrep -f marker` finds every process a test started. */
  marker: string;
  logDir: string;
  /** Output that says the process is ready. */
  readyWhen: string;
  readyTimeoutMs?: number;
}

/**
 * One process of the service, as production runs it but without a build: the TypeScript runs
 * through ts-node (transpile only), and a worker bundles workflows/ from source at start.
 * Its output goes to `<logDir>/<name>.log`; the last of it is kept for failure messages.
 */
export class ServiceProcess {
  private tail = '';
  private exitInfo: string | null = null;
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
    log: WriteStream,
  ) {
    const collect = (chunk: Buffer) => {
      log.write(chunk);
      this.tail = (this.tail + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      this.exitInfo = signal ?? String(code);
    });
    // Once its output is read to the end ('close' follows 'exit' when the pipes are drained) and written to the log file.
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.exitInfo ??= signal ?? String(code);
        log.end(() => resolve());
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** How it ended (`SIGKILL`, `0`, …), or null while it runs. */
  get exit(): string | null {
    return this.exitInfo;
  }

  output(): string {
    return this.tail;
  }

  /** Everything it wrote to stdout and stderr, from its log file: complete once `exited` has resolved. */
  fullOutput(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const logFile = join(options.logDir, `${options.name}.log`);
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', options.script, `--marker=${options.marker}`], {
      cwd: projectRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Safety net should the test runner itself exit: never leave the service behind.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    const service = new ServiceProcess(options.name, child, logFile, createWriteStream(logFile, { flags: 'a' }));
    const timeoutMs = options.readyTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    while (!service.tail.includes(options.readyWhen)) {
      if (!service.running) throw new Error(`${options.name} exited (${service.exit}) before it was ready:\n${service.tail.slice(-4_000)}`);
      if (Date.now() > deadline) {
        service.kill9();
        throw new Error(`${options.name} not ready after ${timeoutMs / 1000} s:\n${service.tail.slice(-4_000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return service;
  }

  /** An abrupt end (`kill -9`): no shutdown hooks, in-flight activities and connections simply vanish. */
  kill9(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** An orderly stop (SIGTERM), forced after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const forced = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(forced);
  }
}
