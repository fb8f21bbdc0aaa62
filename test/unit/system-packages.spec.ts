import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSystemPackage, SYSTEM_PACKAGES } from '../../src/devstack/system-packages';

function fakeBinaries(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'system-packages-'));
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('checkSystemPackage', () => {
  it('has nothing to do when every binary of poppler-utils is on PATH', () => {
    const searchPath = fakeBinaries(SYSTEM_PACKAGES['poppler-utils']);
    expect(checkSystemPackage('poppler-utils', { searchPath, isRoot: false })).toEqual({
      package: 'poppler-utils',
      missing: [],
      action: 'present',
    });
  });

  it('installs as root with apt-get, names the missing binaries', () => {
    const searchPath = fakeBinaries(['apt-get', 'pdftotext']);
    expect(checkSystemPackage('poppler-utils', { searchPath, isRoot: true })).toEqual({
      package: 'poppler-utils',
      missing: ['pdftoppm', 'pdfinfo', 'pdffonts'],
      action: 'install',
    });
  });

  it('only advises without root or without apt-get', () => {
    expect(checkSystemPackage('poppler-utils', { searchPath: fakeBinaries(['apt-get']), isRoot: false }).action).toBe('advise');
    expect(checkSystemPackage('poppler-utils', { searchPath: fakeBinaries([]), isRoot: true }).action).toBe('advise');
  });

  it('knows chromium, the browser of the web page tests', () => {
    expect(SYSTEM_PACKAGES.chromium).toEqual(['chromium']);
    expect(checkSystemPackage('chromium', { searchPath: fakeBinaries(['chromium']), isRoot: false }).action).toBe('present');
    expect(checkSystemPackage('chromium', { searchPath: fakeBinaries(['apt-get']), isRoot: true })).toEqual({
      package: 'chromium',
      missing: ['chromium'],
      action: 'install',
    });
  });
});
