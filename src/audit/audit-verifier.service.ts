import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from '../events/event-rows';
import { BrokenLink, brokenLinkReason, StoredHead } from './hash-chain';

export type { BrokenLink } from './hash-chain';

const BATCH_SIZE = 1_000;

/**
 * Prefixes of the streams that belong to a handover (`<prefix>.<transition id>…`) and so to its
 * municipality.
 */
const HANDOVER_STREAM_PREFIXES = ['transfer', 'audience', 'campaign'];

/** Which streams a verification covers: one, a municipality's, or (no caller does this over HTTP) all. */
export interface VerificationScope {
  /** Only this stream. */
  streamId?: string;
  /**
   * Only the streams of this municipality: the handovers whose id (`municipality.district.go-live`)
   * names it, and their client transfers', audiences' and campaigns' streams.
   */
  municipality?: string;
}

export interface VerificationReport {
  intact: boolean;
  /** What was verified: one stream, a municipality's streams, or (both null) every stream. */
  scope: { streamId: string | null; municipality: string | null };
  streams: number;
  events: number;
  /** The first event, by global position, whose chain does not hold; null when all hold. */
  firstBroken: BrokenLink | null;
  verifiedAt: string;
}

/** Recomputes the hash chains of the streams in scope from the stored events. */
@Injectable()
export class AuditVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(scopeOrStreamId: VerificationScope | string = {}): Promise<VerificationReport> {
    const { streamId, municipality } =
      typeof scopeOrStreamId === 'string' ? { streamId: scopeOrStreamId, municipality: undefined } : scopeOrStreamId;
    const scope = { streamId: streamId ?? null, municipality: municipality ?? null };
    const heads = new Map<string, StoredHead>();
    let events = 0;
    let after = 0;
    for (;;) {
      // A handover's stream id is its transition id, `municipality.district.go-live` (codes have no
      // dots); the streams that belong to a handover carry its id after a prefix: a client
      // transfer's `transfer.<transition id>.<pseudonym>`, its audiences' `audience.<transition id>`,
      // a resident campaign's `campaign.<transition id>.<campaign id>`.
      const rows: EventRow[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE global_position > $1 AND ($2::text IS NULL OR stream_id = $2)
           AND ($3::text IS NULL OR split_part(stream_id, '.', 1) = $3
                OR (split_part(stream_id, '.', 1) = ANY($5::text[]) AND split_part(stream_id, '.', 2) = $3))
         ORDER BY global_position LIMIT $4`,
        [after, scope.streamId, scope.municipality, BATCH_SIZE, HANDOVER_STREAM_PREFIXES],
      );
      for (const row of rows) {
        const event = toRecordedEvent(row);
        const head = heads.get(event.streamId);
        const reason = brokenLinkReason(event, head);
        if (reason) {
          return {
            intact: false,
            scope,
            streams: heads.size + (head ? 0 : 1),
            events: events + 1,
            firstBroken: { globalPosition: event.globalPosition, streamId: event.streamId, streamVersion: event.streamVersion, reason },
            verifiedAt: new Date().toISOString(),
          };
        }
        heads.set(event.streamId, { version: event.streamVersion, hash: event.hash });
        events++;
      }
      if (rows.length < BATCH_SIZE) break;
      after = Number(rows[rows.length - 1].global_position);
    }
    return { intact: true, scope, streams: heads.size, events, firstBroken: null, verifiedAt: new Date().toISOString() };
  }
}
