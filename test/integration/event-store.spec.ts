import { randomUUID } from 'node:crypto';
import { eventHash } from '../../src/events/event-hash';
import { EventIdReuseError, VersionConflictError } from '../../src/events/event-store.errors';
import { EventStore } from '../../src/events/event-store.service';
import { createTestDatabase, TestDatabase } from '../support/database';
import { anEvent, eventStoreFor } from '../support/event-store';

describe('event store on a real PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = eventStoreFor(db.app, []);
  });
  afterAll(() => db?.drop());

  const stream = () => `test.${randomUUID()}`;

  it('appends with increasing versions and positions, chaining each hash to the previous one', async () => {
    const id = stream();
    const first = await store.append(id, [anEvent('A', { n: 1 })], { expectedVersion: 0 });
    const second = await store.append(id, [anEvent('B', { n: 2 }), anEvent('C', { n: 3 })], { expectedVersion: 1 });
    expect(first).toMatchObject({ streamVersion: 1, appended: true });
    expect(second).toMatchObject({ streamVersion: 3, appended: true });
    expect(second.positions[0]).toBeGreaterThan(first.positions[0]);

    const events = await store.readStream(id);
    expect(events.map((e) => [e.type, e.streamVersion])).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    expect(events.map((e) => e.previousHash)).toEqual([null, events[0].hash, events[1].hash]);
    for (const event of events) expect(eventHash(event)).toBe(event.hash);
  });

  it('keeps the hash stable through jsonb: nested data, unicode, numbers and absent fields', async () => {
    const id = stream();
    const event = anEvent('Noted', { nested: { b: [1, 2.5, -0.001], a: 'é€😀' }, big: 1e21, flag: false, none: null });
    await store.append(id, [{ ...event, metadata: { ...event.metadata, workflowId: undefined } }]);
    const [stored] = await store.readStream(id);
    expect(eventHash(stored)).toBe(stored.hash);
  });

  it('treats a repeated append (same event ids) as done: the original positions, nothing written', async () => {
    const id = stream();
    const events = [anEvent('A'), anEvent('B')];
    const original = await store.append(id, events, { expectedVersion: 0 });
    const repeat = await store.append(id, events, { expectedVersion: 0 });
    expect(repeat).toEqual({ ...original, appended: false });
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('refuses a batch that reuses only some existing event ids', async () => {
    const id = stream();
    const used = anEvent('A');
    await store.append(id, [used]);
    await expect(store.append(id, [used, anEvent('B')])).rejects.toBeInstanceOf(EventIdReuseError);
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('refuses a stale expected version and writes nothing', async () => {
    const id = stream();
    await store.append(id, [anEvent('A')], { expectedVersion: 0 });
    await expect(store.append(id, [anEvent('B')], { expectedVersion: 0 })).rejects.toThrow(VersionConflictError);
    expect(await store.version(id)).toBe(1);
  });

  it('lets exactly one of concurrent writers with the same expected version win', async () => {
    const id = stream();
    await store.append(id, [anEvent('Start')]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.append(id, [anEvent(`Writer${i}`)], { expectedVersion: 1 })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(losers).toHaveLength(7);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(VersionConflictError);
    expect(await store.version(id)).toBe(2);
  });

  it('loses nothing and leaves no gap when concurrent writers append to any version', async () => {
    const id = stream();
    const writers = 8;
    const perWriter = 15;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await store.append(id, [anEvent(`W${w}`, { i })]);
      }),
    );
    const events = await store.readStream(id);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
    for (let w = 0; w < writers; w++) {
      expect(events.filter((e) => e.type === `W${w}`).map((e) => e.data.i)).toEqual([...Array(perWriter).keys()]);
    }
    events.slice(1).forEach((event, i) => expect(event.previousHash).toBe(events[i].hash));
  });

  it('appends to different streams side by side', async () => {
    const ids = Array.from({ length: 8 }, stream);
    await Promise.all(ids.map((id) => store.append(id, [anEvent('A'), anEvent('B')], { expectedVersion: 0 })));
    for (const id of ids) expect(await store.version(id)).toBe(2);
  });
});
