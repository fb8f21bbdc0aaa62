import { isAbsolute, join, resolve } from 'node:path';

/** The repository root, both from `src/` (ts-node, jest) and from `dist/src/` (built). */
export const projectRoot = resolve(__dirname, __dirname.includes(`${join('dist', 'src')}`) ? '../../..' : '../..');

/** Resolves a configured path: absolute as given, relative against the project root. */
export function projectPath(path: string): string {
  return isAbsolute(path) ? path : join(projectRoot, path);
}

/** Git-ignored folder for tools the project installs itself (the Temporal CLI). */
export const toolsDir = projectPath('.tools');
