import { Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive, runningServer, ServerRecord, stopServer, writeServerRecord } from './server-record';
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
 * the server is stopped last, after the worker has drained. The project keeps a record of the
 * server it started beside the SQLite file: a start finds it there, so two servers never open
 * the same file; one left behind by a run that crashed is adopted and stopped with this run. A
 * server someone else started on the port is used and left running.
 */
export class TemporalDevServer {
  private constructor(
    readonly address: string,
    readonly uiUrl: string,
    /** The server's process when this run is to stop it: started here, or adopted from a run that crashed. */
    private readonly owned?: { pid: number; child?: ChildProcess; recordFile: string },
  ) {}

  get startedHere(): boolean {
    return this.owned !== undefined;
  }

  static async startOrReuse(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
    const recordFile = `${options.dbFile}.server.json`;
    const running = runningServer(recordFile, options.dbFile);
    if (running) {
      const address = `127.0.0.1:${running.port}`;
      await waitFor(`Temporal at ${address}`, () => namespaceIsServed(address, options.namespace));
      if (isAlive(running.ownerPid)) {
        options.log(`Using the Temporal dev server another run of this project keeps on ${address} for ${options.dbFile}`);
        return new TemporalDevServer(address, `http://127.0.0.1:${running.uiPort}`);
      }
      options.log(`Taking over the Temporal dev server a stopped run left on ${address}; it stops with this run`);
      writeServerRecord(recordFile, { ...running, ownerPid: process.pid });
      return new TemporalDevServer(address, `http://127.0.0.1:${running.uiPort}`, { pid: running.pid, recordFile });
    }

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
    const record: ServerRecord = { pid: child.pid!, ownerPid: process.pid, port: options.port, uiPort: options.uiPort };
    writeServerRecord(recordFile, record);
    return new TemporalDevServer(address, uiUrl, { pid: child.pid!, child, recordFile });
  }

  /** Stops the server if this run owns it (started or adopted it); waits for it to exit. */
  async stop(): Promise<void> {
    if (!this.owned) return;
    const { pid, child, recordFile } = this.owned;
    // A child of ours must be reaped (its exit event) before its pid counts as gone.
    const reaped = child && child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined;
    if (reaped && isAlive(pid)) {
      child!.kill('SIGTERM');
      const forced = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await reaped;
      clearTimeout(forced);
    }
    await stopServer(pid, recordFile);
  }
}
