import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubscriberData, SubscriberVault } from '../../src/campaigns/audiences/subscriber-vault';
import { subscriberEmailHasher } from '../../src/campaigns/audiences/subscriber-crypto';
import { audienceStreamId } from '../../src/campaigns/audiences/audience.events';
import type { EventMetadata } from '../../src/events/event.types';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { readErasures } from '../../src/clients/vault/erasure-log';
import { reapplyErasures } from '../../src/clients/vault/reapply-erasures';
import { createTestDatabase, TestDatabase } from '../support/database';

/** In every personal field: it must never be found in the database in plain. */
const MARKER = `Zq${randomBytes(4).toString('hex')}Mk`;
const METADATA: EventMetadata = { actor: { user: 'coordinator', organisation: 'rotterdam', role: 'coordinator' }, correlationId: randomUUID(), causationId: null };

const subscriber = (n: number, withAddress = n % 2 === 0): SubscriberData => ({
  email: `bewoner${n}.${MARKER}@example.org`,
  name: `Fatima ${MARKER} ${n}`,
  address: withAddress ? { street: `Beijerlandselaan${MARKER}`, houseNumber: n + 1, addition: '', postcode: '3074 AB', city: 'Rotterdam' } : null,
});

describe('SubscriberVault (the application role on a real PostgreSQL)', () => {
  let db: TestDatabase;
  let vault: SubscriberVault;
  const master = randomBytes(32);
  const transitionId = 'rotterdam.feijenoord.2030-06-01';

  beforeAll(async () => {
    db = await createTestDatabase();
    vault = new SubscriberVault(master, db.app);
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function importSubscribers(list: SubscriberData[], transition = transitionId) {
    return db.app.transaction((manager) =>
      vault.store(manager, transition, list, async (newRows) => {
        const importId = randomUUID();
        await manager.query(
          `INSERT INTO audience_imports (import_id, transition_id, kind, organisation, file_hash, rows, new_rows)
           VALUES ($1, $2, 'subscribers', 'rotterdam', $3, $4, $5)`,
          [importId, transition, randomBytes(32), list.length, newRows],
        );
        return importId;
      }),
    );
  }

  it('stores and opens subscribers (round trip), keeping known ones as they are', async () => {
    const first = await importSubscribers([subscriber(1), subscriber(2)]);
    expect(first.newSubscribers).toBe(2);
    const opened = await vault.open(first.subscriberIds);
    expect(opened.get(first.subscriberIds[0])).toEqual(subscriber(1));
    expect(opened.get(first.subscriberIds[1])).toEqual(subscriber(2));

    // The same e-mail address in another case, with another name: the known subscriber stays as it is.
    const again = await importSubscribers([{ ...subscriber(1), email: subscriber(1).email.toUpperCase(), name: 'Anders' }, subscriber(3)]);
    expect(again.newSubscribers).toBe(1);
    expect(again.subscriberIds[0]).toBe(first.subscriberIds[0]);
    expect((await vault.open([first.subscriberIds[0]])).get(first.subscriberIds[0])?.name).toBe(subscriber(1).name);

    const [{ with_address }] = await db.admin.query(
      'SELECT count(*) FILTER (WHERE has_address)::int AS with_address FROM campaign_subscribers WHERE transition_id = $1',
      [transitionId],
    );
    expect(with_address).toBe(1);
  });

  it('keeps no e-mail address, name or street in plain in the database', async () => {
    await importSubscribers([subscriber(10), subscriber(11)]);
    const rows: Array<{ personal_data: Buffer; wrapped_key: Buffer; email_hash: Buffer }> = await db.admin.query(
      'SELECT personal_data, wrapped_key, email_hash FROM campaign_subscribers',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const bytes of [row.personal_data, row.wrapped_key, row.email_hash]) {
        expect(bytes.toString('latin1')).not.toContain(MARKER);
        expect(bytes.toString('utf8')).not.toContain(MARKER);
      }
    }
    const events = JSON.stringify(await db.admin.query('SELECT data, metadata FROM events'));
    expect(events).not.toContain(MARKER);
  });

  it('hashes an e-mail address deterministically per handover, and differently in another', () => {
    const hash = subscriberEmailHasher(master, transitionId);
    const email = subscriber(1).email;
    expect(hash(email).equals(subscriberEmailHasher(master, transitionId)(email))).toBe(true);
    expect(hash(email).equals(hash(email.toUpperCase()))).toBe(true);
    expect(hash(email).equals(subscriberEmailHasher(master, 'rotterdam.charlois.2030-06-01')(email))).toBe(false);
    expect(hash(email).equals(subscriberEmailHasher(randomBytes(32), transitionId)(email))).toBe(false);
    expect(vault.emailHash(transitionId, email).equals(hash(email))).toBe(true);
  });

  it('erases by e-mail address: the row is gone, open gives null, an event without personal data is recorded', async () => {
    const { subscriberIds } = await importSubscribers([subscriber(20), subscriber(21)]);
    const erased = await vault.erase(transitionId, subscriber(20).email, METADATA);
    expect(erased).toBe(subscriberIds[0]);
    const [{ left }] = await db.admin.query('SELECT count(*)::int AS left FROM campaign_subscribers WHERE subscriber_id = $1', [subscriberIds[0]]);
    expect(left).toBe(0);
    const opened = await vault.open(subscriberIds);
    expect(opened.get(subscriberIds[0])).toBeNull();
    expect(opened.get(subscriberIds[1])).toEqual(subscriber(21));

    const events = await db.admin.query('SELECT type, data FROM events WHERE stream_id = $1 AND type = $2', [
      audienceStreamId(transitionId),
      'SubscriberErased',
    ]);
    expect(events).toEqual([{ type: 'SubscriberErased', data: { subscriberId: subscriberIds[0] } }]);

    // Again, or someone never subscribed, or in another handover: nothing, no event.
    expect(await vault.erase(transitionId, subscriber(20).email, METADATA)).toBeNull();
    expect(await vault.erase(transitionId, `nooit.${MARKER}@example.org`, METADATA)).toBeNull();
    expect(await vault.erase('rotterdam.charlois.2030-06-01', subscriber(21).email, METADATA)).toBeNull();
    const [{ count }] = await db.admin.query("SELECT count(*)::int AS count FROM events WHERE type = 'SubscriberErased'");
    expect(count).toBe(1);

    // Appended inside the vault's transaction, through append_events: the hash chain holds.
    const report = await new AuditVerifier(db.app).verify(audienceStreamId(transitionId));
    expect(report).toMatchObject({ intact: true, streams: 1, events: 1 });
  });

  it('opens unknown and malformed ids as null', async () => {
    const opened = await vault.open([randomUUID(), 'not-a-uuid']);
    expect([...opened.values()]).toEqual([null, null]);
  });

  it('refuses a wrapped key moved to another subscriber', async () => {
    const { subscriberIds } = await importSubscribers([subscriber(30), subscriber(31)]);
    await db.admin.query(
      `UPDATE campaign_subscribers SET wrapped_key = (SELECT wrapped_key FROM campaign_subscribers WHERE subscriber_id = $1) WHERE subscriber_id = $2`,
      [subscriberIds[0], subscriberIds[1]],
    );
    await expect(vault.open([subscriberIds[1]])).rejects.toThrow(/cannot open/);
  });

  describe('the erasure log and privacy:reapply-erasures', () => {
    let work: string;
    let logFile: string;
    let logging: SubscriberVault;
    const restoredTransition = 'rotterdam.ijsselmonde.2030-06-01';
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'overdracht-subscriber-erasures-'));
      logFile = join(work, 'erasures', 'client-erasures.log');
      logging = new SubscriberVault(master, db.app, logFile);
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('logs an erasure by subscriber id (never the address); nothing for an unknown address', async () => {
      const { subscriberIds } = await importSubscribers([subscriber(40)], restoredTransition);
      expect(await logging.erase(restoredTransition, subscriber(40).email, METADATA)).toBe(subscriberIds[0]);
      expect(await logging.erase(restoredTransition, `nooit.${MARKER}@example.org`, METADATA)).toBeNull();
      expect(await readErasures(logFile)).toEqual([
        { kind: 'subscriber', subscriberId: subscriberIds[0], transitionId: restoredTransition, erasedAt: expect.any(String) },
      ]);
      expect(readFileSync(logFile, 'utf8')).not.toContain(MARKER);
    });

    it('erases again the subscribers a restore from an older backup brought back, from the log and from the events', async () => {
      const { subscriberIds } = await importSubscribers([subscriber(50), subscriber(51), subscriber(52), subscriber(53)], restoredTransition);
      const [viaLog, viaEvent, stillErased, untouched] = subscriberIds;
      const erasedIds = [viaLog, viaEvent, stillErased];

      // The "backup", taken before the erasures.
      const backup: Array<Record<string, unknown>> = await db.admin.query('SELECT * FROM campaign_subscribers WHERE subscriber_id = ANY ($1::uuid[])', [
        erasedIds,
      ]);

      // viaLog and stillErased: erased through the vault (event and log line). viaEvent: its log
      // line lost (only the event says so), as a log kept elsewhere might miss one.
      await logging.erase(restoredTransition, subscriber(50).email, METADATA);
      await logging.erase(restoredTransition, subscriber(52).email, METADATA);
      await vault.erase(restoredTransition, subscriber(51).email, METADATA);

      // The "restore": two of the three come back, key and sealed data.
      for (const row of backup.filter((entry) => entry.subscriber_id !== stillErased)) {
        await db.admin.query(
          `INSERT INTO campaign_subscribers (subscriber_id, transition_id, import_id, email_hash, wrapped_key, personal_data, has_address)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [row.subscriber_id, row.transition_id, row.import_id, row.email_hash, row.wrapped_key, row.personal_data, row.has_address],
        );
      }
      const restored = await vault.open([viaLog, viaEvent]);
      expect(restored.get(viaLog)).toEqual(subscriber(50));
      expect(restored.get(viaEvent)).toEqual(subscriber(51));

      // The test database holds the other tests' SubscriberErased events too (already gone); every logged one is also an event.
      const before: number = (await db.admin.query("SELECT count(*)::int AS n FROM events WHERE type = 'SubscriberErased'"))[0].n;
      const result = await reapplyErasures(db.app, logFile);
      expect(result.subscribers).toEqual({ logged: 3, recorded: before, reErased: 2, alreadyGone: before - 2 });
      expect(result.clients).toEqual({ logged: 0, recorded: 0, reErased: 0, alreadyGone: 0 });

      const after = await vault.open([viaLog, viaEvent, stillErased, untouched]);
      expect([after.get(viaLog), after.get(viaEvent), after.get(stillErased)]).toEqual([null, null, null]);
      expect(after.get(untouched)).toEqual(subscriber(53));

      expect((await reapplyErasures(db.app, logFile)).subscribers).toMatchObject({ logged: 3, reErased: 0 });
    });
  });
});
