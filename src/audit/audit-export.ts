import { stringify } from 'csv-stringify/sync';
import type { RecordedEvent } from '../events/event.types';
import { BrokenLink, checkStream } from './hash-chain';

export interface AuditDigest {
  algorithm: 'SHA-256';
  /**
   * The stream's head hash, recomputed from the events in this export (not copied from the
   * store): through the chain it stands for every event before it. Compare it with a digest
   * kept outside the system.
   */
  headHash: string;
  events: number;
}

/** The chain as recomputed while exporting. */
export interface AuditVerification {
  intact: boolean;
  /** The first event whose link does not hold (changed, missing before it, or re-chained); null when intact. */
  firstBroken: BrokenLink | null;
  /** The hash stored with the last event; equals the digest's head hash when intact. */
  storedHeadHash: string;
  verifiedAt: string;
}

export interface AuditExport {
  streamId: string;
  exportedAt: string;
  events: RecordedEvent[];
  verification: AuditVerification;
  digest: AuditDigest;
}

/** The stream's events (in version order, as stored), its chain recomputed, and the recomputed head as digest. */
export function auditExport(streamId: string, events: RecordedEvent[]): AuditExport {
  const check = checkStream(events);
  const now = new Date().toISOString();
  return {
    streamId,
    exportedAt: now,
    events,
    verification: { intact: check.intact, firstBroken: check.firstBroken, storedHeadHash: check.storedHeadHash!, verifiedAt: now },
    digest: { algorithm: 'SHA-256', headHash: check.headHash!, events: events.length },
  };
}

/** Excel would run a cell starting like a formula; a leading apostrophe keeps it text. */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const HEADER = [
  'global_position', 'stream_version', 'recorded_at', 'type', 'schema_version', 'actor_user',
  'actor_organisation', 'actor_role', 'correlation_id', 'causation_id', 'data', 'previous_hash', 'hash',
];

/** The CSV line stating the verification: `verification;intact`, or `verification;broken;` and where and why. */
function verificationRow({ intact, firstBroken, storedHeadHash }: AuditVerification): Array<string | number> {
  if (intact || !firstBroken) return ['verification', 'intact'];
  return [
    'verification', 'broken', 'global_position', firstBroken.globalPosition, 'stream_version', firstBroken.streamVersion,
    'reason', firstBroken.reason, 'stored_head_hash', storedHeadHash,
  ];
}

/**
 * The export as CSV that Dutch Excel opens as it is: UTF-8 with a byte order mark, `;` between
 * fields, CRLF between lines; the line before last states the verification, the last line is
 * the (recomputed) digest to keep outside the system.
 */
export function auditCsv(exported: AuditExport): string {
  const rows = exported.events.map((event) => [
    event.globalPosition,
    event.streamVersion,
    event.recordedAt,
    event.type,
    event.schemaVersion,
    event.metadata.actor.user,
    event.metadata.actor.organisation ?? '',
    event.metadata.actor.role,
    event.metadata.correlationId,
    event.metadata.causationId ?? '',
    JSON.stringify(event.data),
    event.previousHash ?? '',
    event.hash,
  ]);
  const { digest } = exported;
  return stringify(
    [HEADER, ...rows, verificationRow(exported.verification), ['digest', digest.algorithm, digest.headHash, 'events', digest.events]],
    {
      bom: true,
      delimiter: ';',
      record_delimiter: 'windows',
      cast: { string: neutraliseFormula },
    },
  );
}
