import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Tools that come from the operating system rather than PyPI or npm: the Debian package and the
 * binaries the project uses from it. poppler-utils: the letter tests read the rendered PDFs back
 * (`pdftotext`, `pdfinfo`, `pdffonts`) and turn a page into a picture (`pdftoppm`). chromium: the
 * browser tests of the web pages drive it (playwright-core, `/usr/bin/chromium`).
 */
export const SYSTEM_PACKAGES = {
  'poppler-utils': ['pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts'],
  chromium: ['chromium'],
} as const;

export type SystemPackage = keyof typeof SYSTEM_PACKAGES;

function onPath(name: string, searchPath: string): boolean {
  return searchPath
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export interface SystemPackageCheck {
  package: SystemPackage;
  missing: string[];
  /** present: nothing to do; install: root with apt-get, installs it; advise: says what to install. */
  action: 'present' | 'install' | 'advise';
}

export function checkSystemPackage(
  name: SystemPackage,
  env: { searchPath?: string; isRoot?: boolean } = {},
): SystemPackageCheck {
  const searchPath = env.searchPath ?? process.env.PATH ?? '';
  const isRoot = env.isRoot ?? process.getuid?.() === 0;
  const missing = SYSTEM_PACKAGES[name].filter((binary) => !onPath(binary, searchPath));
  if (missing.length === 0) return { package: name, missing, action: 'present' };
  return { package: name, missing, action: isRoot && onPath('apt-get', searchPath) ? 'install' : 'advise' };
}

/**
 * Makes sure a Debian package's binaries are there: installs it with apt-get when they are missing
 * and the process runs as root (an `apt-get update` first if the package is unknown), otherwise
 * prints which package to install. Returns whether the binaries are now available.
 */
export async function ensureSystemPackage(name: SystemPackage, log: (line: string) => void = console.log): Promise<boolean> {
  const check = checkSystemPackage(name);
  if (check.action === 'present') return true;
  if (check.action === 'advise') {
    log(`${check.missing.join(', ')} missing: install the Debian/Ubuntu package ${name} (sudo apt-get install -y ${name})`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', name], { env, maxBuffer: 64 * 1024 * 1024 });
  log(`Installing ${name} with apt-get (${check.missing.join(', ')} missing)`);
  try {
    await install();
  } catch {
    log('apt-get install failed; running apt-get update and trying once more');
    await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await install();
  }
  return checkSystemPackage(name).action === 'present';
}
