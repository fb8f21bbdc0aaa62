import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { waitFor } from './wait-for';

/**
 * Who runs a development server the project started: a small JSON file beside the server's
 * data, written when it starts and removed when it stops. The next start reads it: a server
 * whose starting process is still running belongs to that run; one whose starter has gone
 * (killed, crashed) is adopted and stopped with the run that adopts it. A server without such
 * a record was started by someone else and is left alone.
 */
export interface ServerRecord {
  pid: number;
  /** The process that started (or adopted) the server. */
  ownerPid: number;
  port: number;
  uiPort?: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process (Linux), to tell our server from another process that got its pid. */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The recorded server, if it still runs and its command line names `marker` (its data). */
export function runningServer(recordFile: string, marker: string): ServerRecord | undefined {
  if (!existsSync(recordFile)) return undefined;
  try {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as ServerRecord;
    return isAlive(record.pid) && commandLineOf(record.pid).includes(marker) ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writeServerRecord(recordFile: string, record: ServerRecord): void {
  writeFileSync(recordFile, JSON.stringify(record));
}

/** Stops a server by its pid (SIGTERM, or the signal given; SIGKILL after 10 s) and forgets its record. */
export async function stopServer(pid: number, recordFile: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (isAlive(pid)) {
    process.kill(pid, signal);
    const forced = setTimeout(() => isAlive(pid) && process.kill(pid, 'SIGKILL'), 10_000);
    try {
      await waitFor('a development server to stop', async () => !isAlive(pid), { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      clearTimeout(forced);
    }
  }
  rmSync(recordFile, { force: true });
}
