import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import type { ClientPersonalData } from '../../src/clients/client-personal-data';
import { PSEUDONYM_PATTERN, TARGET_GROUPS } from '../../src/clients/client.events';
import { ClientDataErasedError } from '../../src/clients/vault/client-data-erased.error';
import { ClientRow, ClientVault } from '../../src/clients/vault/client-vault';
import { appendErasure } from '../../src/clients/vault/erasure-log';
import { reapplyErasures } from '../../src/clients/vault/reapply-erasures';
import { createTestDatabase, TestDatabase } from '../support/database';

/** In every personal field and every client number: it must never be found in the database. */
const MARKER = `Zq${randomBytes(4).toString('hex')}Mk`;

function rows(count: number, prefix = 'C'): ClientRow[] {
  return Array.from({ length: count }, (_, i) => ({
    clientNumber: `${prefix}-${MARKER}-${i}`,
    targetGroup: TARGET_GROUPS[i % TARGET_GROUPS.length],
    personal: {
      firstName: `Fatima${MARKER}`,
      lastName: `El Amrani ${MARKER} ${i}`,
      birthDate: `1950-01-${String((i % 28) + 1).padStart(2, '0')}${MARKER}`,
      street: `Beijerlandselaan${MARKER}`,
      houseNumber: `${i}${MARKER}`,
      postcode: `3074 ${MARKER}`,
      city: `Rotterdam${MARKER}`,
      phone: i % 2 === 0 ? `06-${MARKER}` : null,
      email: `f${MARKER}@example.invalid`,
      note: `Needs the lift; ${MARKER}`,
    } satisfies ClientPersonalData,
  }));
}

describe('ClientVault (the application role on a real PostgreSQL)', () => {
  let db: TestDatabase;
  let vault: ClientVault;
  const master = randomBytes(32);
  let work: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    vault = new ClientVault(master, db.app);
    work = mkdtempSync(join(tmpdir(), 'overdracht-vault-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** One import as the importer will run it: its client_imports row, then the clients, in one transaction. */
  async function importClients(transitionId: string, list: ClientRow[], wrap?: (manager: EntityManager) => Promise<void>) {
    const importId = randomUUID();
    return db.app.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO client_imports (import_id, transition_id, organisation, file_hash, clients, new_clients)
         VALUES ($1, $2, 'welzijn-maas', $3, $4, 0)`,
        [importId, transitionId, randomBytes(32), list.length],
      );
      await wrap?.(manager);
      const stored = await vault.storeClients(manager, transitionId, importId, list);
      await manager.query('UPDATE client_imports SET new_clients = $2 WHERE import_id = $1', [importId, stored.newClients]);
      return { importId, ...stored };
    });
  }

  const count = async (sql: string, params: unknown[] = []) => Number((await db.admin.query(sql, params))[0].count);

  it('stores new clients once: the same list again adds nothing and changes nothing', async () => {
    const list = rows(25);
    const first = await importClients('t-repeat', list);
    expect(first.newClients).toBe(25);
    expect(first.items.map((item) => item.seq)).toEqual(list.map((_, i) => i + 1));
    expect(first.items.every((item) => item.isNew && PSEUDONYM_PATTERN.test(item.pseudonym))).toBe(true);
    expect(first.items.map((item) => item.targetGroup)).toEqual(list.map((row) => row.targetGroup));
    const before = await db.admin.query(`SELECT * FROM client_keys k JOIN client_records r USING (pseudonym) WHERE k.transition_id = 't-repeat' ORDER BY pseudonym`);

    const second = await importClients('t-repeat', list);
    expect(second.newClients).toBe(0);
    expect(second.items.map((item) => [item.pseudonym, item.isNew])).toEqual(first.items.map((item) => [item.pseudonym, false]));
    expect(await count(`SELECT count(*) FROM client_import_items WHERE import_id = $1`, [second.importId])).toBe(0);
    expect(await count(`SELECT count(*) FROM client_import_items WHERE import_id = $1`, [first.importId])).toBe(25);
    expect(await count(`SELECT count(*) FROM client_numbers WHERE transition_id = 't-repeat'`)).toBe(25);
    expect(await db.admin.query(`SELECT * FROM client_keys k JOIN client_records r USING (pseudonym) WHERE k.transition_id = 't-repeat' ORDER BY pseudonym`)).toEqual(before);

    // One more client in the list: only that one is new; the same number in another handover is another client.
    const grown = await importClients('t-repeat', [...list, ...rows(26).slice(25)]);
    expect(grown.newClients).toBe(1);
    expect(grown.items.filter((item) => item.isNew).map((item) => item.seq)).toEqual([26]);
    expect((await importClients('t-other', list.slice(0, 3))).newClients).toBe(3);
  });

  it('treats a number repeated within one list as one client', async () => {
    const [a, b] = rows(2, 'D');
    const result = await importClients('t-dup', [a, b, { ...a, personal: b.personal }]);
    expect(result.newClients).toBe(2);
    expect(result.items[2]).toEqual({ seq: 3, pseudonym: result.items[0].pseudonym, targetGroup: a.targetGroup, isNew: false });
    expect((await vault.personalData([result.items[0].pseudonym])).get(result.items[0].pseudonym)).toEqual(a.personal);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(vault.storeClients(db.app.manager, 't-x', randomUUID(), rows(1))).rejects.toThrow(/inside a transaction/);
  });

  it('gives the personal data back, for many clients in one call', async () => {
    const list = rows(40, 'P');
    const { items } = await importClients('t-read', list);
    const unknown = randomBytes(10).toString('hex');
    const data = await vault.personalData([...items.map((item) => item.pseudonym), unknown]);
    expect(data.size).toBe(41);
    items.forEach((item, i) => expect(data.get(item.pseudonym)).toEqual(list[i].personal));
    expect(data.get(unknown)).toBe('erased');
  });

  it('gives one client number one pseudonym when two imports of the same handover run at once', async () => {
    const list = rows(500, 'R');
    const [a, b] = await Promise.all([importClients('t-race', list), importClients('t-race', list)]);
    expect(a.newClients + b.newClients).toBe(500);
    expect(await count(`SELECT count(*) FROM client_numbers WHERE transition_id = 't-race'`)).toBe(500);
    expect(await count(`SELECT count(DISTINCT pseudonym) FROM client_keys WHERE transition_id = 't-race'`)).toBe(500);
    expect(await count(`SELECT count(*) FROM client_import_items WHERE import_id = ANY ($1::uuid[])`, [[a.importId, b.importId]])).toBe(500);
    expect(a.items.map((item) => item.pseudonym)).toEqual(b.items.map((item) => item.pseudonym));
  });

  it('stores, reads and deletes a client file sealed with the client key', async () => {
    const { items } = await importClients('t-file', rows(2, 'F'));
    const [one, two] = items.map((item) => item.pseudonym);
    const fileId = randomUUID();
    const content = Buffer.concat([Buffer.from(`%PDF-1.7 ${MARKER} `), randomBytes(50_000)]);
    await vault.storeFile(one, fileId, 'application/pdf', content);
    const read = await vault.readFile(one, fileId);
    expect(read).not.toBe('erased');
    expect(read).toMatchObject({ mediaType: 'application/pdf' });
    expect((read as { content: Buffer }).content.equals(content)).toBe(true);
    expect(await vault.readFile(two, fileId)).toBeNull(); // another client's file
    expect(await vault.readFile(one, randomUUID())).toBeNull();
    expect(await count('SELECT count(*) FROM client_files WHERE file_id = $1 AND bytes = $2', [fileId, content.length])).toBe(1);
    await vault.deleteFile(fileId);
    expect(await vault.readFile(one, fileId)).toBeNull();
  });

  it('shreds: key, record and files gone, the data reads as erased, storing a file throws; again is harmless', async () => {
    const { items } = await importClients('t-shred', rows(3, 'S'));
    const [gone, kept] = items.map((item) => item.pseudonym);
    const fileId = randomUUID();
    await vault.storeFile(gone, fileId, 'application/zip', Buffer.from(`PK ${MARKER}`));

    await db.app.transaction((manager) => vault.shred(manager, gone));
    await db.app.transaction((manager) => vault.shred(manager, gone));

    const data = await vault.personalData([gone, kept]);
    expect(data.get(gone)).toBe('erased');
    expect(data.get(kept)).not.toBe('erased');
    expect(await vault.readFile(gone, fileId)).toBe('erased');
    await expect(vault.storeFile(gone, randomUUID(), 'application/pdf', Buffer.from('x'))).rejects.toBeInstanceOf(ClientDataErasedError);
    for (const table of ['client_keys', 'client_records', 'client_files']) {
      expect(await count(`SELECT count(*) FROM ${table} WHERE pseudonym = $1`, [gone])).toBe(0);
    }
    // The keyed number hash stays: importing the same list again does not bring the client back.
    expect((await importClients('t-shred', rows(3, 'S'))).newClients).toBe(0);
    expect((await vault.personalData([gone])).get(gone)).toBe('erased');
  });

  it('leaves no file behind when it is stored while its client is being erased', async () => {
    const { items } = await importClients('t-shred-race', rows(1, 'Q'));
    const [pseudonym] = items.map((item) => item.pseudonym);
    const eraser = db.app.createQueryRunner();
    await eraser.connect();
    try {
      await eraser.startTransaction();
      await vault.shred(eraser.manager, pseudonym); // not committed yet: the key is still visible to others
      const storing = vault.storeFile(pseudonym, randomUUID(), 'application/pdf', Buffer.from('%PDF'));
      const outcome = storing.then(() => 'stored', (error) => error);
      await new Promise((resolve) => setTimeout(resolve, 200)); // storeFile waits on the key row
      await eraser.commitTransaction();
      expect(await outcome).toBeInstanceOf(ClientDataErasedError);
    } finally {
      await eraser.release();
    }
    expect(await count('SELECT count(*) FROM client_files WHERE pseudonym = $1', [pseudonym])).toBe(0);
  });

  it('never lets a personal value, a client number or file content reach any client table in readable form', async () => {
    await importClients('t-marker', rows(5, 'M'));
    const hexMarker = Buffer.from(MARKER, 'utf8').toString('hex');
    const tables: Array<{ table_name: string }> = await db.admin.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'client\\_%'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(
      ['client_files', 'client_import_items', 'client_imports', 'client_keys', 'client_numbers', 'client_records', 'client_transfers'],
    );
    let rowsSeen = 0;
    for (const { table_name } of tables) {
      const dump: Array<{ row: string }> = await db.admin.query(`SELECT t::text AS row FROM ${table_name} t`);
      rowsSeen += dump.length;
      for (const { row } of dump) {
        expect(row).not.toContain(MARKER);
        expect(row.toLowerCase()).not.toContain(hexMarker);
      }
    }
    expect(rowsSeen).toBeGreaterThan(500);
  });

  it('stores 10,000 new clients in one import quickly', async () => {
    const list = rows(10_000, 'L');
    const started = process.hrtime.bigint();
    const { newClients } = await importClients('t-large', list);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(newClients).toBe(10_000);
    // eslint-disable-next-line no-console
    console.info(`storeClients: 10,000 new clients in ${Math.round(ms)} ms (one transaction, app role)`);
    expect(ms).toBeLessThan(5_000);
    const again = process.hrtime.bigint();
    expect((await importClients('t-large', list)).newClients).toBe(0);
    // eslint-disable-next-line no-console
    console.info(`storeClients: the same 10,000 again in ${Math.round(Number(process.hrtime.bigint() - again) / 1e6)} ms`);
  });

  describe('privacy:reapply-erasures', () => {
    it('erases again the clients whose keys a restore from an older backup brought back, from the log and from the events', async () => {
      const { items } = await importClients('t-restore', rows(4, 'B'));
      const [viaLog, viaEvent, stillErased, untouched] = items.map((item) => item.pseudonym);
      const fileId = randomUUID();
      await vault.storeFile(viaLog, fileId, 'application/pdf', Buffer.from('%PDF'));
      const erased = [viaLog, viaEvent, stillErased];

      // The "backup", taken before the erasures.
      const backup = {
        keys: await db.admin.query('SELECT * FROM client_keys WHERE pseudonym = ANY ($1)', [erased]),
        records: await db.admin.query('SELECT * FROM client_records WHERE pseudonym = ANY ($1)', [erased]),
        files: await db.admin.query('SELECT * FROM client_files WHERE pseudonym = ANY ($1)', [erased]),
      };

      const logFile = join(work, 'erasures', 'client-erasures.log');
      for (const pseudonym of erased) await db.app.transaction((manager) => vault.shred(manager, pseudonym));
      await appendErasure(logFile, { pseudonym: viaLog, transitionId: 't-restore', reason: 'request', erasedAt: new Date() });
      await appendErasure(logFile, { pseudonym: stillErased, transitionId: 't-restore', reason: 'retention', erasedAt: new Date() });
      await db.admin.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash)
         VALUES ($1, $2, 1, 'PersonalDataErased', 1, $3, '{}', now(), 'test')`,
        [randomUUID(), `transfer.t-restore.${viaEvent}`, JSON.stringify({ pseudonym: viaEvent, reason: 'request' })],
      );

      // The "restore": the keys of two of the three come back, with their records and files.
      const back = (list: Array<Record<string, unknown>>) => list.filter((row) => row.pseudonym !== stillErased);
      for (const row of back(backup.keys)) {
        await db.admin.query('INSERT INTO client_keys (pseudonym, transition_id, wrapped_key, created_at) VALUES ($1, $2, $3, $4)', [
          row.pseudonym, row.transition_id, row.wrapped_key, row.created_at,
        ]);
      }
      for (const row of back(backup.records)) {
        await db.admin.query('INSERT INTO client_records (pseudonym, transition_id, personal_data) VALUES ($1, $2, $3)', [
          row.pseudonym, row.transition_id, row.personal_data,
        ]);
      }
      for (const row of back(backup.files)) {
        await db.admin.query(
          'INSERT INTO client_files (file_id, pseudonym, media_type, bytes, content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [row.file_id, row.pseudonym, row.media_type, row.bytes, row.content, row.uploaded_at],
        );
      }
      const restored = await vault.personalData([viaLog, viaEvent]);
      expect(restored.get(viaLog)).not.toBe('erased');
      expect(await vault.readFile(viaLog, fileId)).not.toBe('erased');

      const result = await reapplyErasures(db.app, logFile);
      expect(result.clients).toEqual({ logged: 2, recorded: 1, reErased: 2, alreadyGone: 1 });

      const after = await vault.personalData([viaLog, viaEvent, stillErased, untouched]);
      expect([after.get(viaLog), after.get(viaEvent), after.get(stillErased)]).toEqual(['erased', 'erased', 'erased']);
      expect(after.get(untouched)).not.toBe('erased');
      expect(await vault.readFile(viaLog, fileId)).toBe('erased');
      expect(await count('SELECT count(*) FROM client_files WHERE file_id = $1', [fileId])).toBe(0);

      expect((await reapplyErasures(db.app, logFile)).clients).toEqual({ logged: 2, recorded: 1, reErased: 0, alreadyGone: 3 });
    });
  });
});
