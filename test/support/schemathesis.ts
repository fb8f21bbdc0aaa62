import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Values Schemathesis draws for a parameter instead of generating one, with a probability: ids
 * of handovers that exist, codes the service knows. Keys are `path.transitionId`, `body.district`,
 * `query.streamId` and so on.
 */
export type Bindings = Record<string, { values: ReadonlyArray<string | number>; probability: number }>;

const toml = (value: string | number) => JSON.stringify(value);

/**
 * The configuration of a run: the committed base (checks, auth, what the document cannot say)
 * and the values of this run's database as dictionaries bound to parameters.
 */
export function schemathesisConfig(baseFile: string, bindings: Bindings): string {
  const lines = [readFileSync(baseFile, 'utf8'), '', '# This run: values that exist in its database.'];
  const names = Object.keys(bindings).map((key) => key.replace(/[^A-Za-z0-9]/g, '_'));
  Object.values(bindings).forEach(({ values }, index) => {
    lines.push(`[dictionaries.${names[index]}]`, `values = [${values.map(toml).join(', ')}]`);
  });
  lines.push('[parameters]');
  Object.entries(bindings).forEach(([key, { probability }], index) => {
    lines.push(`${toml(key)} = { dictionary = ${toml(names[index])}, probability = ${probability} }`);
  });
  return `${lines.join('\n')}\n`;
}

export interface SchemathesisRun {
  exitCode: number;
  output: string;
}

export interface SchemathesisOptions {
  /** The binary (the jest global setup puts it in SCHEMATHESIS). */
  binary: string;
  /** A folder of the run's own: the document, the configuration, reports and caches go there. */
  workDir: string;
  document: object;
  config: string;
  baseUrl: string;
  /** Put into the configuration's `${SCHEMATHESIS_BEARER_TOKEN}`, so it never shows in a process list. */
  bearerToken: string;
  args: string[];
  timeoutMs: number;
  /** A Python file of hooks (SCHEMATHESIS_HOOKS): media types it cannot generate, say. */
  hooks?: string;
}

/** `schemathesis run` on the document against the running API; resolves with its exit code and output. */
export function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  const documentFile = join(options.workDir, 'openapi.json');
  const configFile = join(options.workDir, 'schemathesis.toml');
  writeFileSync(documentFile, JSON.stringify(options.document, null, 2));
  writeFileSync(configFile, options.config);
  return new Promise((resolve, reject) => {
    execFile(
      options.binary,
      ['--config-file', configFile, 'run', documentFile, '--url', options.baseUrl, '--no-color', ...options.args],
      {
        cwd: options.workDir,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          SCHEMATHESIS_BEARER_TOKEN: options.bearerToken,
          COLUMNS: '120',
          NO_COLOR: '1',
          ...(options.hooks ? { SCHEMATHESIS_HOOKS: options.hooks } : {}),
        },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error && typeof error.code !== 'number') reject(new Error(`schemathesis did not finish (${error.message}):\n${output}`));
        else resolve({ exitCode: typeof error?.code === 'number' ? error.code : 0, output });
      },
    );
  });
}
