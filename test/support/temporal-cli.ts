import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One execution as `temporal workflow list --output json` prints it. */
export interface ListedExecution {
  execution: { workflowId: string; runId: string };
  type: { name: string };
  status: string;
  searchAttributes?: unknown;
  memo?: unknown;
}

/** A history as `temporal workflow show --output json` prints it (protobuf JSON: payload bytes in base64). */
export interface HistoryJson {
  events: Array<Record<string, unknown> & { eventType: string }>;
}

/**
 * The Temporal CLI (the binary the jest global setup put in TEMPORAL_CLI), run exactly as an
 * operator would against a server: `temporal workflow list|count|show|describe --address …
 * --output json`.
 */
export class TemporalCli {
  readonly binary: string;

  constructor(
    readonly address: string,
    readonly namespace = 'default',
  ) {
    const binary = process.env.TEMPORAL_CLI;
    if (!binary) throw new Error('TEMPORAL_CLI is set by the jest global setup');
    this.binary = binary;
  }

  /** Runs `temporal <args> --address … --namespace … --output json` and parses what it prints. */
  async json<T>(args: string[]): Promise<T> {
    const { stdout } = await execFileAsync(
      this.binary,
      [...args, '--address', this.address, '--namespace', this.namespace, '--output', 'json'],
      { maxBuffer: 1024 * 1024 * 1024, timeout: 300_000, encoding: 'utf8' },
    );
    return JSON.parse(stdout.trim() === '' ? '[]' : stdout) as T;
  }

  /** Every execution (every run) the query selects; all of them when no query is given. */
  list(query?: string): Promise<ListedExecution[]> {
    return this.json<ListedExecution[]>(['workflow', 'list', ...(query ? ['--query', query] : [])]);
  }

  async count(query: string): Promise<number> {
    const { count } = await this.json<{ count: string }>(['workflow', 'count', '--query', query]);
    return Number(count);
  }

  show(workflowId: string, runId?: string): Promise<HistoryJson> {
    return this.json<HistoryJson>(['workflow', 'show', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : [])]);
  }

  describe(workflowId: string, runId?: string): Promise<unknown> {
    return this.json(['workflow', 'describe', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : [])]);
  }

  /** The history of every run of a workflow id (runs before a continue-as-new, a failed run before a new one). */
  async histories(workflowId: string): Promise<Array<{ runId: string; history: HistoryJson }>> {
    const runs = await this.list(`WorkflowId = '${workflowId}'`);
    if (runs.length === 0) throw new Error(`the Temporal server lists no run of ${workflowId}`);
    const result: Array<{ runId: string; history: HistoryJson }> = [];
    for (const { execution } of runs) result.push({ runId: execution.runId, history: await this.show(workflowId, execution.runId) });
    return result;
  }
}
