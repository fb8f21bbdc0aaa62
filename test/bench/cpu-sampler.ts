import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (Linux: 100). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process so far, ms; undefined when it is gone or /proc is not there. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** This process's children whose command name is `name` (as /proc shows it). */
export function childrenNamed(name: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return pids;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid && command === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU time used by a changing set of processes (PostgreSQL's backends of one database, say): each
 * `sample()` reads the CPU time of the processes `pids` names now; `used()` sums, per process,
 * its last reading minus its first. A process that came and went between two samples is missed,
 * and one seen first late counts from then: a lower bound.
 */
export class CpuOfProcesses {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();

  constructor(private readonly pids: () => Promise<number[]> | number[]) {}

  async sample(): Promise<void> {
    for (const pid of await this.pids()) {
      const ms = cpuMsOf(pid);
      if (ms === undefined) continue;
      if (!this.first.has(pid)) this.first.set(pid, ms);
      this.last.set(pid, ms);
    }
  }

  /** ms, or undefined when no process could be read (not on this machine). */
  used(): number | undefined {
    if (this.first.size === 0) return undefined;
    let total = 0;
    for (const [pid, first] of this.first) total += this.last.get(pid)! - first;
    return total;
  }
}
