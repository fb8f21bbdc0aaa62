import { stringify } from 'csv-stringify/sync';
import type { RecordedEvent } from '../events/event.types';

export interface AuditDigest {
  algorithm: 'SHA-256';
  /** Hash of the stream's last event; through the chain it stands for every event before it. */
  headHash: string;
  events: number;
}

export interface AuditExport {
  streamId: string;
  exportedAt: string;
  events: RecordedEvent[];
  digest: AuditDigest;
}

export function auditExport(streamId: string, events: RecordedEvent[]): AuditExport {
  return {
    streamId,
    exportedAt: new Date().toISOString(),
    events,
    digest: { algorithm: 'SHA-256', headHash: events[events.length - 1].hash, events: events.length },
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

/**
 * The export as CSV that Dutch Excel opens as it is: UTF-8 with a byte order mark, `;` between
 * fields, CRLF between lines; the last line is the digest to keep outside the system.
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
  return stringify([HEADER, ...rows, ['digest', digest.algorithm, digest.headHash, 'events', digest.events]], {
    bom: true,
    delimiter: ';',
    record_delimiter: 'windows',
    cast: { string: neutraliseFormula },
  });
}
