import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '../../src/devstack/project-tools';
import { toolsDir } from '../../src/config/paths';

function fakeBinary(dir: string, name: string, executable = true): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

describe('findTool', () => {
  const dirA = mkdtempSync(join(tmpdir(), 'temporal-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'temporal-b-'));

  it('takes the explicit path first', () => {
    const explicit = fakeBinary(dirA, 'my-temporal');
    fakeBinary(dirB, 'temporal');
    expect(findTool('temporal', { explicit, searchPath: dirB })).toBe(explicit);
  });

  it('refuses an explicit path that is not executable', () => {
    const explicit = fakeBinary(dirA, 'not-executable', false);
    expect(() => findTool('temporal', { explicit })).toThrow(/not an executable/);
  });

  it('then the binary on PATH, in PATH order', () => {
    const first = fakeBinary(dirA, 'temporal-test-server');
    fakeBinary(dirB, 'temporal-test-server');
    expect(findTool('temporal-test-server', { searchPath: `${dirA}:${dirB}` })).toBe(first);
  });

  it('then the project-local install, or nothing', () => {
    const found = findTool('temporal', { searchPath: mkdtempSync(join(tmpdir(), 'empty-')) });
    if (found !== undefined) expect(found).toBe(join(toolsDir, 'venv', 'bin', 'temporal'));
    else expect(found).toBeUndefined();
  });
});
