import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ERASURE_REASONS, type ErasureReason, PSEUDONYM_PATTERN } from '../client.events';

/**
 * The erasure log: one JSON line per erasure, no personal data: an erased client (its
 * pseudonym, handover, reason, when) or an erased e-mail subscriber of a resident campaign (its
 * subscriber id, handover, when). It lives outside the database on purpose: a database restored
 * from a backup taken before an erasure has the person's key again, and `npm run
 * privacy:reapply-erasures` erases it once more from this log. Keep it out of the database's
 * backups' reach, and safe.
 *
 * Every line names its `kind`. Lines written before subscribers were logged have none: they are
 * clients, and are read as such.
 */
export interface ClientErasureRecord {
  kind: 'client';
  pseudonym: string;
  transitionId: string;
  reason: ErasureReason;
  /** ISO-8601 */
  erasedAt: string;
}

export interface SubscriberErasureRecord {
  kind: 'subscriber';
  /** The subscriber's id (a UUID, as in `SubscriberErased`): never the e-mail address. */
  subscriberId: string;
  transitionId: string;
  /** ISO-8601 */
  erasedAt: string;
}

export type ErasureRecord = ClientErasureRecord | SubscriberErasureRecord;
export type ErasureKind = ErasureRecord['kind'];

/** What a caller gives: `kind` may be left out for a client (as callers did before subscribers), a date may be a Date. */
export type ErasureEntry =
  | (Omit<ClientErasureRecord, 'kind' | 'erasedAt'> & { kind?: 'client'; erasedAt: Date | string })
  | (Omit<SubscriberErasureRecord, 'erasedAt'> & { erasedAt: Date | string });

const SUBSCRIBER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Only the known fields, in a fixed order: nothing else a caller passes can reach the log. */
function checked(entry: Record<string, unknown>, where: string): ErasureRecord {
  const kind = entry.kind ?? 'client';
  const { transitionId, erasedAt } = entry;
  if (typeof transitionId !== 'string' || transitionId.length === 0) throw new Error(`${where}: no transition id`);
  if (typeof erasedAt !== 'string' || Number.isNaN(Date.parse(erasedAt))) throw new Error(`${where}: no valid date`);
  if (kind === 'client') {
    const { pseudonym, reason } = entry;
    if (typeof pseudonym !== 'string' || !PSEUDONYM_PATTERN.test(pseudonym)) throw new Error(`${where}: not a pseudonym`);
    if (!ERASURE_REASONS.includes(reason as ErasureReason)) throw new Error(`${where}: unknown reason`);
    return { kind, pseudonym, transitionId, reason: reason as ErasureReason, erasedAt };
  }
  if (kind === 'subscriber') {
    const { subscriberId } = entry;
    if (typeof subscriberId !== 'string' || !SUBSCRIBER_ID_PATTERN.test(subscriberId)) throw new Error(`${where}: not a subscriber id`);
    return { kind, subscriberId, transitionId, erasedAt };
  }
  throw new Error(`${where}: unknown kind (client or subscriber)`);
}

/** Appends one erasure and waits until it is on disk (fsync). The file is made owner-only (0600). */
export async function appendErasure(file: string, entry: ErasureEntry): Promise<void> {
  const erasedAt = entry.erasedAt instanceof Date ? entry.erasedAt.toISOString() : entry.erasedAt;
  const record = checked({ ...entry, erasedAt }, 'erasure');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Every erasure in the log, oldest first; none when there is no log yet. A line without `kind`
 * (written before subscribers were logged) is a client's. A last line cut short (a crash while
 * writing it) is skipped: its erasure was not acknowledged. Any other bad line throws.
 */
export async function readErasures(file: string): Promise<ErasureRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  const records: ErasureRecord[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    const where = `${file} line ${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (index === lines.length - 1) continue; // the last line without its newline: a torn write
      throw new Error(`${where}: not a JSON erasure record`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${where}: not a JSON erasure record`);
    records.push(checked(parsed as Record<string, unknown>, where));
  }
  return records;
}
