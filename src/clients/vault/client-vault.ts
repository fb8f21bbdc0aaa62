import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { ClientPersonalData } from '../client-personal-data';
import { type ClientFileTransferred, TARGET_GROUPS, type TargetGroup } from '../client.events';
import { ClientDataErasedError } from './client-data-erased.error';
import { clientNumberHasher, newDataKey, newPseudonym, open, seal, unwrapKey, wrapKey } from './client-crypto';
import { shredClients } from './client-shredding';

export type ClientFileMediaType = ClientFileTransferred['data']['mediaType'];

export interface ClientRow {
  /** The outgoing provider's own number: hashed (keyed), never stored. */
  clientNumber: string;
  targetGroup: TargetGroup;
  personal: ClientPersonalData;
}

export interface StoredClient {
  /** The row's position in the import, from 1. */
  seq: number;
  pseudonym: string;
  targetGroup: TargetGroup;
  /** False for a client this handover already had (an earlier import, or an earlier row of this one). */
  isNew: boolean;
}

/**
 * Serialises the imports of one handover (transaction-scoped), so two at once cannot give one
 * client number two pseudonyms. The two-key form: its key space is apart from the event store's
 * one-key stream locks.
 */
const IMPORT_LOCK_CLASS = 0x0c11e;

const AAD = {
  personal: (pseudonym: string) => `personal:${pseudonym}`,
  file: (pseudonym: string, fileId: string) => `file:${pseudonym}:${fileId}`,
};

/** Exactly the fields of ClientPersonalData, in a fixed order: nothing else is ever sealed. */
function personalJson(personal: ClientPersonalData): Buffer {
  const { firstName, lastName, birthDate, street, houseNumber, postcode, city, phone, email, note } = personal;
  return Buffer.from(
    JSON.stringify({
      firstName,
      lastName,
      birthDate,
      street,
      houseNumber,
      postcode,
      city,
      phone: phone ?? null,
      email: email ?? null,
      note: note ?? null,
    }),
    'utf8',
  );
}

/** JSON.parse's own message would quote the text: this one names the pseudonym only. */
function parsePersonal(plain: Buffer, pseudonym: string): ClientPersonalData {
  try {
    return JSON.parse(plain.toString('utf8')) as ClientPersonalData;
  } catch {
    throw new Error(`the personal data of client ${pseudonym} is not valid JSON`);
  }
}

/**
 * The clients' personal data and files, each client's encrypted with a key of its own that the
 * master key wraps (see client-crypto.ts); erasure deletes the key (crypto-shredding). Only
 * pseudonyms, codes and counts ever appear in what this class logs or throws.
 */
@Injectable()
export class ClientVault {
  constructor(
    private readonly masterKey: Buffer,
    private readonly dataSource: DataSource,
  ) {
    if (masterKey.length !== 32) throw new Error('the client data master key must be 32 bytes (base64 of 32 random bytes)');
  }

  /**
   * Stores an import's clients inside the caller's transaction (which must already hold the
   * `client_imports` row of `importId`). A client number this handover already knows keeps its
   * pseudonym and data exactly as they are; a new one gets a pseudonym, a key, its sealed
   * personal data and an item of the import (`client_import_items`, seq = the row's position).
   * Imports of one handover are serialised by a transaction-scoped advisory lock, taken first.
   */
  async storeClients(
    manager: EntityManager,
    transitionId: string,
    importId: string,
    rows: readonly ClientRow[],
  ): Promise<{ newClients: number; items: StoredClient[] }> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('storeClients must run inside a transaction');
    rows.forEach((row, index) => {
      if (!TARGET_GROUPS.includes(row.targetGroup)) throw new Error(`row ${index + 1}: unknown target group`);
      if (typeof row.clientNumber !== 'string' || row.clientNumber.length === 0) {
        throw new Error(`row ${index + 1}: the client number is missing`);
      }
    });
    await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [IMPORT_LOCK_CLASS, transitionId]);

    const hash = clientNumberHasher(this.masterKey, transitionId);
    const hashes = rows.map((row) => hash(row.clientNumber).toString('hex'));
    const unique = [...new Set(hashes)];
    const existing = new Map<string, string>(
      (
        (await manager.query(
          `SELECT encode(number_hash, 'hex') AS hash, pseudonym FROM client_numbers
           WHERE transition_id = $1 AND number_hash = ANY ($2::bytea[])`,
          [transitionId, unique.map((hex) => Buffer.from(hex, 'hex'))],
        )) as Array<{ hash: string; pseudonym: string }>
      ).map((row) => [row.hash, row.pseudonym]),
    );

    const fresh = {
      hashes: [] as Buffer[],
      pseudonyms: [] as string[],
      wrappedKeys: [] as Buffer[],
      records: [] as Buffer[],
      seqs: [] as number[],
      targetGroups: [] as string[],
    };
    const items = rows.map((row, index): StoredClient => {
      const seq = index + 1;
      const known = existing.get(hashes[index]);
      if (known) return { seq, pseudonym: known, targetGroup: row.targetGroup, isNew: false };
      const pseudonym = newPseudonym();
      const dataKey = newDataKey();
      existing.set(hashes[index], pseudonym); // a repeated number further down is this client
      fresh.hashes.push(Buffer.from(hashes[index], 'hex'));
      fresh.pseudonyms.push(pseudonym);
      fresh.wrappedKeys.push(wrapKey(this.masterKey, pseudonym, dataKey));
      fresh.records.push(seal(dataKey, AAD.personal(pseudonym), personalJson(row.personal)));
      fresh.seqs.push(seq);
      fresh.targetGroups.push(row.targetGroup);
      return { seq, pseudonym, targetGroup: row.targetGroup, isNew: true };
    });

    if (fresh.pseudonyms.length > 0) {
      await manager.query(
        `INSERT INTO client_numbers (transition_id, number_hash, pseudonym)
         SELECT $1, h, p FROM unnest($2::bytea[], $3::text[]) AS t (h, p)`,
        [transitionId, fresh.hashes, fresh.pseudonyms],
      );
      await manager.query(
        `INSERT INTO client_keys (pseudonym, transition_id, wrapped_key)
         SELECT p, $1, k FROM unnest($2::text[], $3::bytea[]) AS t (p, k)`,
        [transitionId, fresh.pseudonyms, fresh.wrappedKeys],
      );
      await manager.query(
        `INSERT INTO client_records (pseudonym, transition_id, personal_data)
         SELECT p, $1, d FROM unnest($2::text[], $3::bytea[]) AS t (p, d)`,
        [transitionId, fresh.pseudonyms, fresh.records],
      );
      await manager.query(
        `INSERT INTO client_import_items (import_id, seq, pseudonym, target_group)
         SELECT $1, s, p, g FROM unnest($2::int[], $3::text[], $4::text[]) AS t (s, p, g)`,
        [importId, fresh.seqs, fresh.pseudonyms, fresh.targetGroups],
      );
    }
    return { newClients: fresh.pseudonyms.length, items };
  }

  /** The clients' personal data, in one query; a client whose key is gone (or never was) is 'erased'. */
  async personalData(pseudonyms: readonly string[]): Promise<Map<string, ClientPersonalData | 'erased'>> {
    const wanted = [...new Set(pseudonyms)];
    const result = new Map<string, ClientPersonalData | 'erased'>(wanted.map((pseudonym) => [pseudonym, 'erased']));
    if (wanted.length === 0) return result;
    const rows: Array<{ pseudonym: string; wrapped_key: Buffer; personal_data: Buffer }> = await this.dataSource.query(
      `SELECT k.pseudonym, k.wrapped_key, r.personal_data
       FROM client_keys k JOIN client_records r ON r.pseudonym = k.pseudonym
       WHERE k.pseudonym = ANY ($1::text[])`,
      [wanted],
    );
    for (const row of rows) {
      const dataKey = unwrapKey(this.masterKey, row.pseudonym, row.wrapped_key);
      const plain = open(dataKey, AAD.personal(row.pseudonym), row.personal_data);
      result.set(row.pseudonym, parsePersonal(plain, row.pseudonym));
    }
    return result;
  }

  /** Stores a client's file package, sealed with the client's key; ClientDataErasedError when the key is gone. */
  async storeFile(pseudonym: string, fileId: string, mediaType: ClientFileMediaType, content: Buffer): Promise<void> {
    const [row]: Array<{ wrapped_key: Buffer }> = await this.dataSource.query(
      'SELECT wrapped_key FROM client_keys WHERE pseudonym = $1',
      [pseudonym],
    );
    if (!row) throw new ClientDataErasedError(pseudonym);
    const dataKey = unwrapKey(this.masterKey, pseudonym, row.wrapped_key);
    const sealed = seal(dataKey, AAD.file(pseudonym, fileId), content);
    try {
      await this.dataSource.query(
        `INSERT INTO client_files (file_id, pseudonym, media_type, bytes, content) VALUES ($1, $2, $3, $4, $5)`,
        [fileId, pseudonym, mediaType, content.length, sealed],
      );
    } catch (error) {
      // Erased in between: the key row the file refers to is gone (foreign key).
      if ((error as { code?: string }).code === '23503') throw new ClientDataErasedError(pseudonym);
      throw error;
    }
  }

  /** A client's file: null when there is no such file of this client, 'erased' when the client's key is gone. */
  async readFile(
    pseudonym: string,
    fileId: string,
  ): Promise<{ mediaType: ClientFileMediaType; content: Buffer } | 'erased' | null> {
    const [row]: Array<{ wrapped_key: Buffer | null; media_type: ClientFileMediaType | null; content: Buffer | null }> =
      await this.dataSource.query(
        `SELECT k.wrapped_key, f.media_type, f.content
         FROM (SELECT $1::text AS pseudonym) c
         LEFT JOIN client_keys k ON k.pseudonym = c.pseudonym
         LEFT JOIN client_files f ON f.file_id = $2::uuid AND f.pseudonym = c.pseudonym`,
        [pseudonym, fileId],
      );
    if (!row.wrapped_key) return 'erased';
    if (!row.content || !row.media_type) return null;
    const dataKey = unwrapKey(this.masterKey, pseudonym, row.wrapped_key);
    return { mediaType: row.media_type, content: open(dataKey, AAD.file(pseudonym, fileId), row.content) };
  }

  /** Removes a stored file whose transfer command was refused. */
  async deleteFile(fileId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM client_files WHERE file_id = $1', [fileId]);
  }

  /**
   * Erases a client: deletes the key, the record and the files, inside the caller's transaction
   * (the projection of PersonalDataErased, and again on a rebuild). Idempotent.
   */
  async shred(manager: EntityManager, pseudonym: string): Promise<void> {
    await shredClients(manager, [pseudonym]);
  }
}
