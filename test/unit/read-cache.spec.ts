import type { DataSource } from 'typeorm';
import { oneSnapshotPerRequest, ReadCache, readKey } from '../../src/database/read-cache';

/** A database whose snapshot is whatever the test says; counts how often it is asked. */
function fakeDatabase() {
  const db = { snapshot: '10:20:', asked: 0 };
  const dataSource = {
    query: async (sql: string) => {
      expect(sql).toContain('pg_current_snapshot()');
      db.asked += 1;
      return [{ snapshot: db.snapshot }];
    },
  } as unknown as DataSource;
  return { db, cache: new ReadCache(dataSource) };
}

describe('ReadCache (reads remembered until anything commits)', () => {
  it('answers a read again while the snapshot is the same, and reads again once it changes', async () => {
    const { db, cache } = fakeDatabase();
    let reads = 0;
    const read = async () => ++reads;
    expect(await cache.read('k', read)).toBe(1);
    expect(await cache.read('k', read)).toBe(1);
    db.snapshot = '15:21:15';
    expect(await cache.read('k', read)).toBe(2);
    expect(await cache.read('k', read)).toBe(2);
    // Transaction 15 ended (no longer in progress), the same xmax: read again.
    db.snapshot = '21:21:';
    expect(await cache.read('k', read)).toBe(3);
  });

  it('keeps keys apart (scopes, filters, pages)', async () => {
    const { cache } = fakeDatabase();
    expect(await cache.read(readKey('inbox', ['welzijn-maas']), async () => 'maas')).toBe('maas');
    expect(await cache.read(readKey('inbox', ['buurtkracht']), async () => 'buurtkracht')).toBe('buurtkracht');
    expect(await cache.read(readKey('inbox', ['welzijn-maas']), async () => 'other')).toBe('maas');
  });

  it('shares a read under way, and does not remember a failed one', async () => {
    const { cache } = fakeDatabase();
    let release!: (value: string) => void;
    const first = cache.read('k', () => new Promise<string>((resolve) => (release = resolve)));
    const second = cache.read('k', async () => 'second');
    await new Promise((resolve) => setImmediate(resolve));
    release('first');
    expect(await Promise.all([first, second])).toEqual(['first', 'first']);
    await expect(cache.read('failing', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.read('failing', async () => 'up')).toBe('up');
  });

  it('answers a request with an older snapshot from a read at a later one, never the other way round', async () => {
    const { db, cache } = fakeDatabase();
    db.snapshot = '10:30:';
    expect(await cache.read('k', async () => 'at 30')).toBe('at 30');
    db.snapshot = '10:25:';
    expect(await cache.read('k', async () => 'at 25')).toBe('at 30');
    db.snapshot = '10:31:';
    expect(await cache.read('k', async () => 'at 31')).toBe('at 31');
  });

  it('asks for the snapshot once per GET request, once per read otherwise', async () => {
    const { db, cache } = fakeDatabase();
    const inRequest = (method: string) =>
      new Promise<void>((resolve, reject) =>
        oneSnapshotPerRequest({ method } as never, {} as never, () => {
          Promise.all([cache.read('a', async () => 1), cache.read('b', async () => 2)]).then(async () => {
            await cache.read('c', async () => 3);
          }).then(resolve, reject);
        }),
      );
    await inRequest('GET');
    expect(db.asked).toBe(1);
    await inRequest('POST');
    expect(db.asked).toBe(4);
  });

  it('asks one snapshot question at a time: who asks meanwhile shares the next, sent after they asked', async () => {
    const questions: Array<{ answer: (snapshot: string) => void; fail: (error: Error) => void }> = [];
    const dataSource = {
      query: () => new Promise((resolve, reject) => questions.push({ answer: (snapshot) => resolve([{ snapshot }]), fail: reject })),
    } as unknown as DataSource;
    const cache = new ReadCache(dataSource);
    const snapshotOf = (key: string) => cache.read(key, async () => key);
    const first = snapshotOf('a');
    await Promise.resolve();
    expect(questions).toHaveLength(1);
    const meanwhile = [snapshotOf('b'), snapshotOf('c')];
    await new Promise((resolve) => setImmediate(resolve));
    // Not answered from the question already under way: it may predate them.
    expect(questions).toHaveLength(1);
    questions[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await new Promise((resolve) => setImmediate(resolve));
    expect(questions).toHaveLength(2);
    questions[1].answer('10:20:');
    await expect(Promise.all(meanwhile)).resolves.toEqual(['b', 'c']);
    // Nothing under way: asked at once.
    const later = snapshotOf('d');
    await Promise.resolve();
    expect(questions).toHaveLength(3);
    questions[2].answer('10:21:');
    await expect(later).resolves.toBe('d');
  });
});
