import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPseudonym } from '../../src/clients/vault/client-crypto';
import { appendErasure, readErasures } from '../../src/clients/vault/erasure-log';

describe('erasure log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'overdracht-erasures-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends JSON lines to an owner-only file in a folder it makes, and reads them back in order', async () => {
    const file = join(dir, 'nested', 'client-erasures.log');
    expect(await readErasures(file)).toEqual([]);
    const first = { pseudonym: newPseudonym(), transitionId: 't1', reason: 'request' as const, erasedAt: new Date('2022-05-01T10:00:00Z') };
    const second = { pseudonym: newPseudonym(), transitionId: 't1', reason: 'retention' as const, erasedAt: '2023-06-01T00:00:00.000Z' };
    await appendErasure(file, first);
    await appendErasure(file, second);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await readErasures(file)).toEqual([
      { ...first, erasedAt: '2022-05-01T10:00:00.000Z' },
      second,
    ]);
  });

  it('refuses anything but a pseudonym, so no personal value can reach the log', async () => {
    const file = join(dir, 'client-erasures.log');
    await expect(
      appendErasure(file, { pseudonym: 'Fatima El Amrani', transitionId: 't1', reason: 'request', erasedAt: new Date() }),
    ).rejects.toThrow(/not a pseudonym/);
    await expect(appendErasure(file, { pseudonym: newPseudonym(), transitionId: 't1', reason: 'whim' as never, erasedAt: new Date() })).rejects.toThrow(/reason/);
  });

  it('skips a last line cut short by a crash, and throws on a bad line before it', async () => {
    const file = join(dir, 'client-erasures.log');
    await appendErasure(file, { pseudonym: newPseudonym(), transitionId: 't1', reason: 'request', erasedAt: new Date() });
    appendFileSync(file, '{"pseudonym":"0123');
    expect(await readErasures(file)).toHaveLength(1);
    writeFileSync(file, 'garbage\n');
    await expect(readErasures(file)).rejects.toThrow(/line 1/);
  });
});
