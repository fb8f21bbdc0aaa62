import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventHash } from '../events/event-hash';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from '../events/event-rows';

const BATCH_SIZE = 1_000;

export interface BrokenLink {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  reason: string;
}

export interface VerificationReport {
  intact: boolean;
  streams: number;
  events: number;
  /** The first event, by global position, whose chain does not hold; null when all hold. */
  firstBroken: BrokenLink | null;
  verifiedAt: string;
}

/** Recomputes every stream's hash chain from the stored events. */
@Injectable()
export class AuditVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(streamId?: string): Promise<VerificationReport> {
    const heads = new Map<string, { version: number; hash: string }>();
    let events = 0;
    let after = 0;
    for (;;) {
      const rows: EventRow[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE global_position > $1 AND ($2::text IS NULL OR stream_id = $2)
         ORDER BY global_position LIMIT $3`,
        [after, streamId ?? null, BATCH_SIZE],
      );
      for (const row of rows) {
        const event = toRecordedEvent(row);
        const head = heads.get(event.streamId);
        const broken = (reason: string): VerificationReport => ({
          intact: false,
          streams: heads.size + (head ? 0 : 1),
          events: events + 1,
          firstBroken: { globalPosition: event.globalPosition, streamId: event.streamId, streamVersion: event.streamVersion, reason },
          verifiedAt: new Date().toISOString(),
        });
        if (event.streamVersion !== (head?.version ?? 0) + 1) {
          return broken(`version ${event.streamVersion} follows ${head?.version ?? 'nothing'}: an event is missing`);
        }
        if (event.previousHash !== (head?.hash ?? null)) {
          return broken('previous hash does not match the stream\'s preceding event');
        }
        if (eventHash(event) !== event.hash) {
          return broken('content does not match its hash: the event was changed');
        }
        heads.set(event.streamId, { version: event.streamVersion, hash: event.hash });
        events++;
      }
      if (rows.length < BATCH_SIZE) break;
      after = Number(rows[rows.length - 1].global_position);
    }
    return { intact: true, streams: heads.size, events, firstBroken: null, verifiedAt: new Date().toISOString() };
  }
}
