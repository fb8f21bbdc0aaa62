import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ERASURE_REASONS, type ErasureReason, PSEUDONYM_PATTERN } from '../client.events';

/**
 * The erasure log: one JSON line per erased client (pseudonym, handover, reason, when), no
 * personal data. It lives outside the database on purpose: a database restored from a backup
 * taken before an erasure has the client's key again, and `npm run privacy:reapply-erasures`
 * erases it once more from this log. Keep it out of the database's backups' reach, and safe.
 */
export interface ErasureRecord {
  pseudonym: string;
  transitionId: string;
  reason: ErasureReason;
  /** ISO-8601 */
  erasedAt: string;
}

function checked(record: ErasureRecord, where: string): ErasureRecord {
  if (!PSEUDONYM_PATTERN.test(record.pseudonym)) throw new Error(`${where}: not a pseudonym`);
  if (typeof record.transitionId !== 'string' || record.transitionId.length === 0) throw new Error(`${where}: no transition id`);
  if (!ERASURE_REASONS.includes(record.reason)) throw new Error(`${where}: unknown reason`);
  if (typeof record.erasedAt !== 'string' || Number.isNaN(Date.parse(record.erasedAt))) throw new Error(`${where}: no valid date`);
  return record;
}

/** Appends one erasure and waits until it is on disk (fsync). The file is made owner-only (0600). */
export async function appendErasure(
  file: string,
  { pseudonym, transitionId, reason, erasedAt }: Omit<ErasureRecord, 'erasedAt'> & { erasedAt: Date | string },
): Promise<void> {
  const record = checked(
    { pseudonym, transitionId, reason, erasedAt: erasedAt instanceof Date ? erasedAt.toISOString() : erasedAt },
    'erasure',
  );
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
 * Every erasure in the log, oldest first; none when there is no log yet. A last line cut short
 * (a crash while writing it) is skipped: its erasure was not acknowledged. Any other bad line throws.
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
    let parsed: ErasureRecord;
    try {
      parsed = JSON.parse(line) as ErasureRecord;
    } catch {
      if (index === lines.length - 1) continue; // the last line without its newline: a torn write
      throw new Error(`${where}: not a JSON erasure record`);
    }
    records.push(checked(parsed, where));
  }
  return records;
}
