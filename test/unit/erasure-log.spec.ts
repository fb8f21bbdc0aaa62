import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      { kind: 'client', ...first, erasedAt: '2022-05-01T10:00:00.000Z' },
      { kind: 'client', ...second },
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

  it('logs erased campaign e-mail subscribers by their id, beside clients, each line naming its kind', async () => {
    const file = join(dir, 'client-erasures.log');
    const client = { pseudonym: newPseudonym(), transitionId: 't1', reason: 'request' as const, erasedAt: '2026-05-01T10:00:00.000Z' };
    const subscriber = { kind: 'subscriber' as const, subscriberId: randomUUID(), transitionId: 't1', erasedAt: new Date('2026-05-02T10:00:00Z') };
    await appendErasure(file, client);
    await appendErasure(file, subscriber);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).kind)).toEqual(['client', 'subscriber']);
    expect(await readErasures(file)).toEqual([
      { kind: 'client', ...client },
      { ...subscriber, erasedAt: '2026-05-02T10:00:00.000Z' },
    ]);
  });

  it('reads lines written before subscribers were logged (no kind) as clients', async () => {
    const file = join(dir, 'client-erasures.log');
    const pseudonym = newPseudonym();
    writeFileSync(file, `${JSON.stringify({ pseudonym, transitionId: 't1', reason: 'retention', erasedAt: '2025-01-01T00:00:00.000Z' })}\n`);
    await appendErasure(file, { kind: 'subscriber', subscriberId: randomUUID(), transitionId: 't1', erasedAt: new Date() });
    const [old, added] = await readErasures(file);
    expect(old).toEqual({ kind: 'client', pseudonym, transitionId: 't1', reason: 'retention', erasedAt: '2025-01-01T00:00:00.000Z' });
    expect(added.kind).toBe('subscriber');
  });

  it('refuses a subscriber named by anything but its id, an unknown kind, and fields it does not know', async () => {
    const file = join(dir, 'client-erasures.log');
    await expect(
      appendErasure(file, { kind: 'subscriber', subscriberId: 'fatima@example.org', transitionId: 't1', erasedAt: new Date() }),
    ).rejects.toThrow(/not a subscriber id/);
    await expect(appendErasure(file, { kind: 'resident' as never, subscriberId: randomUUID(), transitionId: 't1', erasedAt: new Date() })).rejects.toThrow(
      /unknown kind/,
    );
    const extra = { kind: 'subscriber', subscriberId: randomUUID(), transitionId: 't1', erasedAt: new Date(), email: 'fatima@example.org' };
    await appendErasure(file, extra as never);
    expect(readFileSync(file, 'utf8')).not.toContain('fatima');
    writeFileSync(file, `${JSON.stringify({ kind: 'resident', transitionId: 't1', erasedAt: '2025-01-01T00:00:00.000Z' })}\n`);
    await expect(readErasures(file)).rejects.toThrow(/line 1: unknown kind/);
  });
});
