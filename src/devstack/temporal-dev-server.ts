import { Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPortOpen, waitFor } from './wait-for';

export interface TemporalDevServerOptions {
  cli: string;
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  /** `Name=Type` pairs registered with the server. */
  searchAttributes: string[];
  log: (line: string) => void;
}

async function namespaceIsServed(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/**
 * The Temporal CLI's development server, with a SQLite file so workflows survive restarts.
 * It runs in its own process group, so a Ctrl-C in the terminal reaches the service first and
 * the server is stopped last, after the worker has drained. A server already listening on the
 * port (a previous run that crashed, or one started by hand) is reused and left running.
 */
export class TemporalDevServer {
  private constructor(
    readonly address: string,
    readonly uiUrl: string,
    private readonly child?: ChildProcess,
  ) {}

  get startedHere(): boolean {
    return this.child !== undefined;
  }

  static async startOrReuse(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
    const address = `127.0.0.1:${options.port}`;
    const uiUrl = `http://127.0.0.1:${options.uiPort}`;
    if (await isPortOpen(options.port)) {
      options.log(`Reusing the Temporal server already listening on ${address}`);
      await waitFor(`Temporal at ${address}`, () => namespaceIsServed(address, options.namespace));
      return new TemporalDevServer(address, uiUrl);
    }

    mkdirSync(dirname(options.dbFile), { recursive: true });
    const logFile = `${options.dbFile}.log`;
    const logFd = openSync(logFile, 'a');
    const child = spawn(
      options.cli,
      [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(options.port),
        '--ui-port', String(options.uiPort),
        '--db-filename', options.dbFile,
        '--namespace', options.namespace,
        '--log-level', 'warn',
        ...options.searchAttributes.flatMap((attribute) => ['--search-attribute', attribute]),
      ],
      { detached: true, stdio: ['ignore', logFd, logFd] },
    );
    // Safety net for an unexpected exit of this process: never leave the server behind.
    process.once('exit', () => child.kill('SIGTERM'));
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = `exited early (${signal ?? code}); see ${logFile}`));
    options.log(`Starting the Temporal dev server on ${address} (data in ${options.dbFile})`);
    try {
      await waitFor(`Temporal dev server on ${address}`, () => namespaceIsServed(address, options.namespace), {
        abort: () => exit && `${exit}\n${readFileSync(logFile, 'utf8').slice(-2_000)}`,
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return new TemporalDevServer(address, uiUrl, child);
  }

  /** Stops the server if this process started it; waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  }
}
