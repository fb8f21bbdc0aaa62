import { BadRequestException } from '@nestjs/common';

/** The one line a bad cursor gets: the field and its rule, never the value. */
export const CURSOR_RULE = 'cursor must be the nextCursor of an earlier page of this list, unchanged';

/** What one position of a cursor may hold. */
export type CursorField = 'date' | 'date-or-infinity' | 'text' | 'int' | 'timestamp';

const PATTERNS: Record<Exclude<CursorField, 'int'>, RegExp> = {
  date: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/,
  'date-or-infinity': /^([0-9]{4}-[0-9]{2}-[0-9]{2}|infinity)$/,
  // Ids and codes: visible ASCII only.
  text: /^[\x21-\x7e]{1,300}$/,
  // Microseconds: PostgreSQL's own precision, so no row falls between two pages.
  timestamp: /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$/,
};

export const CURSOR_MAX_LENGTH = 400;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * An opaque keyset cursor: the list's kind (a list and its sort order) and the sort key of the
 * last row of a page, as base64url JSON. Cursors are read strictly: anything that is not exactly
 * what `encodeCursor` made for this kind, with values of the expected shapes, is refused.
 */
export function encodeCursor(kind: string, values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/** The values of a cursor of this kind; a BadRequestException naming `cursor` for anything else. */
export function decodeCursor(cursor: string, kind: string, fields: readonly CursorField[]): Array<string | number> {
  const values = parse(cursor);
  if (!values || values[0] !== kind || values.length !== fields.length + 1) throw badCursor();
  const rest = values.slice(1);
  if (!rest.every((value, i) => fits(value, fields[i]))) throw badCursor();
  return rest as Array<string | number>;
}

export const badCursor = () => new BadRequestException([CURSOR_RULE]);

function parse(cursor: string): unknown[] | null {
  if (cursor.length === 0 || cursor.length > CURSOR_MAX_LENGTH || !BASE64URL.test(cursor)) return null;
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical encoding: no padding games, no trailing bits.
  if (bytes.toString('base64url') !== cursor) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function fits(value: unknown, field: CursorField): boolean {
  if (field === 'int') return Number.isSafeInteger(value) && (value as number) >= 0;
  if (typeof value !== 'string' || !PATTERNS[field].test(value)) return false;
  if (field === 'text' || value === 'infinity') return true;
  return !Number.isNaN(Date.parse(field === 'timestamp' ? value.replace(/\.\d{6}Z$/, 'Z') : `${value}T00:00:00Z`)) && realDate(value.slice(0, 10));
}

function realDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}
