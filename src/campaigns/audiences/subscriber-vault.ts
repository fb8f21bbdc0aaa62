import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { newDataKey, open, seal, unwrapKey, wrapKey } from '../../clients/vault/client-crypto';
import { appendErasure } from '../../clients/vault/erasure-log';
import type { EventMetadata, NewEvent } from '../../events/event.types';
import type { PostalAddress } from './address-fields';
import { appendInTransaction } from './append-in-transaction';
import { AUDIENCE_EVENT_SCHEMA_VERSION, audienceStreamId, SubscriberErased, subscriberErasedEventId } from './audience.events';
import { SUBSCRIBER_AAD, subscriberEmailHasher } from './subscriber-crypto';

/** A subscriber's personal data: sealed with the subscriber's own key, never in events or logs. */
export interface SubscriberData {
  email: string;
  name: string | null;
  /** For a fallback letter when an e-mail bounces. */
  address: PostalAddress | null;
}

/**
 * Serialises the subscriber imports and erasures of one handover (transaction-scoped), so one
 * e-mail address sent twice at once is stored once.
 */
const SUBSCRIBER_LOCK_CLASS = 0x5ab5;

/** Exactly the fields of SubscriberData, in a fixed order: nothing else is ever sealed. */
function personalJson({ email, name, address }: SubscriberData): Buffer {
  const postal = address && {
    street: address.street,
    houseNumber: address.houseNumber,
    addition: address.addition,
    postcode: address.postcode,
    city: address.city,
  };
  return Buffer.from(JSON.stringify({ email, name: name ?? null, address: postal ?? null }), 'utf8');
}

/** JSON.parse's own message would quote the text: this one names the subscriber id only. */
function parsePersonal(plain: Buffer, subscriberId: string): SubscriberData {
  try {
    return JSON.parse(plain.toString('utf8')) as SubscriberData;
  } catch {
    throw new Error(`the personal data of subscriber ${subscriberId} is not valid JSON`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The e-mail subscribers of the handovers' resident campaigns: each one's e-mail address, name
 * and address sealed (AES-256-GCM) with a data key of its own, which the client data master key
 * wraps (client-crypto.ts); the e-mail address besides only as a keyed hash per handover.
 * Erasure deletes the row, key included (crypto-shredding), records `SubscriberErased` and
 * writes the subscriber id to the erasure log (CLIENT_ERASURE_LOG), so that
 * `npm run privacy:reapply-erasures` erases it again after a restore from an older backup.
 * Only ids and counts ever appear in what this class logs or throws.
 */
@Injectable()
export class SubscriberVault {
  /** `erasureLogFile`: the erasure log (erasure-log.ts); without one (some tests) erasures are not logged. */
  constructor(
    private readonly masterKey: Buffer,
    private readonly dataSource: DataSource,
    private readonly erasureLogFile?: string,
  ) {
    if (masterKey.length !== 32) throw new Error('the client data master key must be 32 bytes (base64 of 32 random bytes)');
  }

  /** The keyed hash that recognises an e-mail address in one handover (case does not matter). */
  emailHash(transitionId: string, email: string): Buffer {
    return subscriberEmailHasher(this.masterKey, transitionId)(email);
  }

  /**
   * Stores an import's subscribers inside the caller's transaction. `importRow`: the id of the
   * import's `audience_imports` row, or a function that writes that row once the number of new
   * subscribers is known (before any subscriber refers to it) and answers its id. An e-mail
   * address the handover knows keeps its subscriber exactly as it is; a new one gets an id, a key
   * and its sealed data. Answers the subscriber id of every row, in order, and how many were new.
   */
  async store(
    manager: EntityManager,
    transitionId: string,
    rows: readonly SubscriberData[],
    importRow: string | ((newSubscribers: number) => Promise<string>),
  ): Promise<{ newSubscribers: number; subscriberIds: string[] }> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('store must run inside a transaction');
    await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SUBSCRIBER_LOCK_CLASS, transitionId]);
    const hash = subscriberEmailHasher(this.masterKey, transitionId);
    const hashes = rows.map((row) => hash(row.email).toString('hex'));
    const existing = new Map<string, string>(
      (
        (await manager.query(
          `SELECT encode(email_hash, 'hex') AS hash, subscriber_id AS id FROM campaign_subscribers
           WHERE transition_id = $1 AND email_hash = ANY ($2::bytea[])`,
          [transitionId, [...new Set(hashes)].map((hex) => Buffer.from(hex, 'hex'))],
        )) as Array<{ hash: string; id: string }>
      ).map((row) => [row.hash, row.id]),
    );
    const fresh = { ids: [] as string[], hashes: [] as Buffer[], keys: [] as Buffer[], data: [] as Buffer[], withAddress: [] as boolean[] };
    const subscriberIds = rows.map((row, index) => {
      const known = existing.get(hashes[index]);
      if (known) return known;
      const id = randomUUID();
      const dataKey = newDataKey();
      existing.set(hashes[index], id);
      fresh.ids.push(id);
      fresh.hashes.push(Buffer.from(hashes[index], 'hex'));
      fresh.keys.push(wrapKey(this.masterKey, SUBSCRIBER_AAD.keyOwner(id), dataKey));
      fresh.data.push(seal(dataKey, SUBSCRIBER_AAD.personal(id), personalJson(row)));
      fresh.withAddress.push(row.address !== null);
      return id;
    });
    const importId = typeof importRow === 'string' ? importRow : await importRow(fresh.ids.length);
    if (fresh.ids.length > 0) {
      await manager.query(
        `INSERT INTO campaign_subscribers (subscriber_id, transition_id, import_id, email_hash, wrapped_key, personal_data, has_address)
         SELECT i, $1, $2, h, k, d, a FROM unnest($3::uuid[], $4::bytea[], $5::bytea[], $6::bytea[], $7::boolean[]) AS t (i, h, k, d, a)`,
        [transitionId, importId, fresh.ids, fresh.hashes, fresh.keys, fresh.data, fresh.withAddress],
      );
    }
    return { newSubscribers: fresh.ids.length, subscriberIds };
  }

  /** The subscribers' personal data in one query; null for one erased, or never known. */
  async open(subscriberIds: string[]): Promise<Map<string, SubscriberData | null>> {
    const wanted = [...new Set(subscriberIds)];
    const result = new Map<string, SubscriberData | null>(wanted.map((id) => [id, null]));
    const valid = wanted.filter((id) => UUID.test(id));
    if (valid.length === 0) return result;
    const rows: Array<{ id: string; wrapped_key: Buffer; personal_data: Buffer }> = await this.dataSource.query(
      'SELECT subscriber_id AS id, wrapped_key, personal_data FROM campaign_subscribers WHERE subscriber_id = ANY ($1::uuid[])',
      [valid],
    );
    const asAsked = new Map(valid.map((id) => [id.toLowerCase(), id]));
    for (const row of rows) {
      const dataKey = unwrapKey(this.masterKey, SUBSCRIBER_AAD.keyOwner(row.id), row.wrapped_key);
      const plain = open(dataKey, SUBSCRIBER_AAD.personal(row.id), row.personal_data);
      result.set(asAsked.get(row.id) ?? row.id, parsePersonal(plain, row.id));
    }
    return result;
  }

  /**
   * Erases the subscriber of one handover with this e-mail address, if there is one: its row
   * (key and sealed data) is deleted and `SubscriberErased` recorded in the same transaction, and
   * the erasure is on disk in the erasure log before that transaction commits: a committed erasure
   * is always in the log (a log line whose transaction then failed is harmless: the person asked).
   * Answers the erased subscriber's id, or null when the address was not known (callers must not
   * tell the two apart to the outside world).
   */
  async erase(transitionId: string, email: string, metadata: EventMetadata): Promise<string | null> {
    const emailHash = this.emailHash(transitionId, email);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SUBSCRIBER_LOCK_CLASS, transitionId]);
      const [found]: Array<{ id: string }> = await manager.query(
        'SELECT subscriber_id AS id FROM campaign_subscribers WHERE transition_id = $1 AND email_hash = $2',
        [transitionId, emailHash],
      );
      if (found === undefined) return null;
      const subscriberId = found.id;
      await manager.query('DELETE FROM campaign_subscribers WHERE subscriber_id = $1', [subscriberId]);
      const event: NewEvent<SubscriberErased> = {
        eventId: subscriberErasedEventId(subscriberId),
        type: 'SubscriberErased',
        schemaVersion: AUDIENCE_EVENT_SCHEMA_VERSION,
        data: { subscriberId },
        metadata,
      };
      await appendInTransaction(manager, audienceStreamId(transitionId), [event]);
      if (this.erasureLogFile) {
        await appendErasure(this.erasureLogFile, { kind: 'subscriber', subscriberId, transitionId, erasedAt: new Date() });
      }
      return subscriberId;
    });
  }
}
