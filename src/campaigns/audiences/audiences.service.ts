import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuthenticatedUser } from '../../auth/auth.types';
import { fileHash } from '../../clients/vault/client-crypto';
import { CsvTableResult } from '../../csv/csv-table';
import type { EventMetadata, NewEvent } from '../../events/event.types';
import { AddressRow, parseAddressCsv } from './address-csv';
import { appendInTransaction } from './append-in-transaction';
import { AUDIENCE_EVENT_SCHEMA_VERSION, AudienceImported, audienceImportedEventId, AudienceKind, audienceStreamId } from './audience.events';
import { parseSubscriberCsv } from './subscriber-csv';
import { SubscriberVault } from './subscriber-vault';

export interface AudienceImportResult {
  importId: string;
  kind: AudienceKind;
  rows: number;
  newRows: number;
  createdAt: Date;
  /** This very file was imported before: nothing changed. */
  repeated: boolean;
}

export interface AudienceCounts {
  addresses: number;
  subscribers: number;
  subscribersWithAddress: number;
  imports: Array<Omit<AudienceImportResult, 'repeated'>>;
}

interface Handover {
  municipality: string;
  outgoingProvider: string;
  incomingProvider: string;
  state: string;
}

const NOUN: Record<AudienceKind, string> = { addresses: 'the address list', subscribers: 'the subscriber list' };

/**
 * A handover's campaign audiences: the district's addresses and the e-mail subscribers, each
 * imported as a CSV file whole or not at all, in one transaction with its `audience_imports`
 * row and its `AudienceImported` event (counts only). The same file again changes nothing.
 */
@Injectable()
export class AudiencesService {
  constructor(
    private readonly config: ConfigService,
    private readonly vault: SubscriberVault,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  importAddresses(transitionId: string, user: AuthenticatedUser, file: unknown, correlationId: string): Promise<AudienceImportResult> {
    return this.importFile('addresses', transitionId, user, file, correlationId, parseAddressCsv, (manager, importRow, rows) =>
      this.storeAddresses(manager, transitionId, importRow, rows),
    );
  }

  importSubscribers(transitionId: string, user: AuthenticatedUser, file: unknown, correlationId: string): Promise<AudienceImportResult> {
    return this.importFile('subscribers', transitionId, user, file, correlationId, parseSubscriberCsv, async (manager, importRow, rows) =>
      (await this.vault.store(manager, transitionId, rows, importRow)).newSubscribers,
    );
  }

  /** Erases a subscriber of the handover by e-mail address; the same answer whether or not it was known. */
  async eraseSubscriber(transitionId: string, user: AuthenticatedUser, email: string, correlationId: string): Promise<void> {
    await this.coordinatorsHandover(transitionId, user);
    await this.vault.erase(transitionId, email, this.metadata(user, correlationId));
  }

  async counts(transitionId: string, user: AuthenticatedUser): Promise<AudienceCounts> {
    const handover = await this.handover(transitionId);
    const mayRead =
      user.role === 'provider'
        ? user.actingFor.includes(handover.outgoingProvider) || user.actingFor.includes(handover.incomingProvider)
        : user.role === 'coordinator' && user.organisation === handover.municipality;
    if (!mayRead) throw new ForbiddenException('the handover belongs to other organisations');
    const [counts] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM resident_addresses WHERE transition_id = $1) AS addresses,
              (SELECT count(*)::int FROM campaign_subscribers WHERE transition_id = $1) AS subscribers,
              (SELECT count(*)::int FROM campaign_subscribers WHERE transition_id = $1 AND has_address) AS "subscribersWithAddress"`,
      [transitionId],
    );
    const imports = await this.dataSource.query(
      `SELECT import_id AS "importId", kind, rows, new_rows AS "newRows", created_at AS "createdAt"
       FROM audience_imports WHERE transition_id = $1 ORDER BY created_at, import_id`,
      [transitionId],
    );
    return { ...counts, imports };
  }

  /**
   * Parses the file (refused whole, 400, on any problem), then in one transaction: the import row,
   * the rows (`store` calls `importRow` with the count of new ones before it writes a row that
   * refers to the import), and the event. A file seen before answers its earlier import.
   */
  private async importFile<R>(
    kind: AudienceKind,
    transitionId: string,
    user: AuthenticatedUser,
    file: unknown,
    correlationId: string,
    parse: (bytes: Buffer) => CsvTableResult<R>,
    store: (manager: EntityManager, importRow: (newRows: number) => Promise<string>, rows: R[]) => Promise<number>,
  ): Promise<AudienceImportResult> {
    await this.coordinatorsHandover(transitionId, user, true);
    if (!Buffer.isBuffer(file) || file.length === 0) throw new BadRequestException(`body must be ${NOUN[kind]}, as CSV`);
    const parsed = parse(file);
    if (!parsed.ok) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${NOUN[kind]} has ${parsed.problemCount} problem(s); nothing was imported`,
        problems: parsed.problems,
        problemCount: parsed.problemCount,
      });
    }
    const hash = fileHash(this.masterKey(), transitionId, file);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audience-import:${transitionId}:${kind}`]);
      const [known] = await manager.query(
        `SELECT import_id AS "importId", kind, rows, new_rows AS "newRows", created_at AS "createdAt"
         FROM audience_imports WHERE transition_id = $1 AND kind = $2 AND file_hash = $3`,
        [transitionId, kind, hash],
      );
      if (known) return { ...known, repeated: true };
      let created: AudienceImportResult | undefined;
      const importRow = async (newRows: number) => {
        const importId = randomUUID();
        const [row] = await manager.query(
          `INSERT INTO audience_imports (import_id, transition_id, kind, organisation, file_hash, rows, new_rows)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at AS "createdAt"`,
          [importId, transitionId, kind, user.organisation, hash, parsed.rows.length, newRows],
        );
        created = { importId, kind, rows: parsed.rows.length, newRows, createdAt: row.createdAt, repeated: false };
        return importId;
      };
      await store(manager, importRow, parsed.rows);
      if (!created) throw new Error('the import row was not written');
      const event: NewEvent<AudienceImported> = {
        eventId: audienceImportedEventId(created.importId),
        type: 'AudienceImported',
        schemaVersion: AUDIENCE_EVENT_SCHEMA_VERSION,
        data: { importId: created.importId, kind, rows: created.rows, newRows: created.newRows },
        metadata: this.metadata(user, correlationId),
      };
      await appendInTransaction(manager, audienceStreamId(transitionId), [event]);
      return created;
    });
  }

  /** New addresses only: one the handover knows (postcode, house number, addition) is kept as it is. */
  private async storeAddresses(manager: EntityManager, transitionId: string, importRow: (newRows: number) => Promise<string>, rows: AddressRow[]) {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`resident-addresses:${transitionId}`]);
    const postcodes = rows.map((row) => row.postcode);
    const numbers = rows.map((row) => row.houseNumber);
    const additions = rows.map((row) => row.addition);
    const [{ known }] = await manager.query(
      `SELECT count(*)::int AS known FROM unnest($2::text[], $3::int[], $4::text[]) AS u (p, h, a)
       WHERE EXISTS (SELECT 1 FROM resident_addresses r
                     WHERE r.transition_id = $1 AND r.postcode = u.p AND r.house_number = u.h AND r.addition = u.a)`,
      [transitionId, postcodes, numbers, additions],
    );
    const newRows = rows.length - known;
    const importId = await importRow(newRows);
    if (newRows > 0) {
      await manager.query(
        `INSERT INTO resident_addresses (address_id, transition_id, import_id, street, house_number, addition, postcode, city)
         SELECT gen_random_uuid(), $1, $2, s, h, a, p, c FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS u (s, h, a, p, c)
         ON CONFLICT (transition_id, postcode, house_number, addition) DO NOTHING`,
        [transitionId, importId, rows.map((row) => row.street), numbers, additions, postcodes, rows.map((row) => row.city)],
      );
    }
    return newRows;
  }

  private metadata(user: AuthenticatedUser, correlationId: string): EventMetadata {
    return { actor: actorOf(user), correlationId, causationId: null };
  }

  /** The handover, when the user is its municipality's coordinator (403 otherwise, 404 when there is none). */
  private async coordinatorsHandover(transitionId: string, user: AuthenticatedUser, changing = false): Promise<Handover> {
    const handover = await this.handover(transitionId);
    if (user.role !== 'coordinator' || user.organisation !== handover.municipality) {
      throw new ForbiddenException("only the coordinator of the handover's municipality manages its audiences");
    }
    if (changing && ['cancelled', 'closed'].includes(handover.state)) throw new ConflictException(`the handover is ${handover.state}`);
    return handover;
  }

  private async handover(transitionId: string): Promise<Handover> {
    const [row] = await this.dataSource.query(
      `SELECT municipality, outgoing_provider AS "outgoingProvider", incoming_provider AS "incomingProvider", state
       FROM transition_summaries WHERE transition_id = $1`,
      [transitionId],
    );
    if (!row) throw new NotFoundException('the handover does not exist');
    return row;
  }

  private masterKey(): Buffer {
    return Buffer.from(this.config.getOrThrow<string>('CLIENT_DATA_MASTER_KEY'), 'base64');
  }
}
