/** What is wrong where: a line, a column (null for the line itself) and the rule. Never the value. */
export interface RowProblem {
  line: number;
  column: string | null;
  rule: string;
}

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; rule: string };

export const accept = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
export const refuse = <T>(rule: string): FieldCheck<T> => ({ ok: false, rule });

export const REQUIRED = 'is required';

/** Length in characters as a person counts them (an emoji is one), which is how the database counts. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _character of text) if (++count > max) return true;
  return false;
}

export const tooLong = (max: number) => `is longer than ${max} characters`;

export function requiredText(cell: string, max: number): FieldCheck<string> {
  if (cell === '') return refuse(REQUIRED);
  if (longerThan(cell, max)) return refuse(tooLong(max));
  return accept(cell);
}

export function optionalText(cell: string, max: number): FieldCheck<string | null> {
  if (cell === '') return accept(null);
  if (longerThan(cell, max)) return refuse(tooLong(max));
  return accept(cell);
}

const POSTCODE = /^([1-9]\d{3}) ?([A-Za-z]{2})$/;
/** Letter pairs PostNL does not give out. */
const UNUSED_POSTCODE_LETTERS = new Set(['SA', 'SD', 'SS']);

/** A Dutch postcode, with or without its space, any case: normalised to `1234 AB`. */
export function dutchPostcode(cell: string): FieldCheck<string> {
  if (cell === '') return refuse(REQUIRED);
  const parts = POSTCODE.exec(cell);
  const letters = parts?.[2].toUpperCase();
  if (!parts || !letters || UNUSED_POSTCODE_LETTERS.has(letters)) return refuse('is not a Dutch postcode (1234 AB)');
  return accept(`${parts[1]} ${letters}`);
}

/** Control characters no cell may hold; tab may (it is pasted from other programs), LF only where allowed. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** What the decoder puts for a byte Windows-1252 does not define: the file's encoding is something else. */
const UNREADABLE_CHARACTER = '\uFFFD';

/**
 * Why a cell's characters are refused, whatever its column's own rule, or null. `lineBreakRule`:
 * the rule a line break breaks, or null where a cell may hold one.
 */
export function characterProblem(cell: string, lineBreakRule: string | null = 'holds a line break'): string | null {
  if (CONTROL_CHARACTER.test(cell)) return 'holds a control character';
  if (lineBreakRule !== null && cell.includes('\n')) return lineBreakRule;
  if (cell.includes(UNREADABLE_CHARACTER)) return 'holds a character that cannot be read; save the file as "CSV UTF-8"';
  return null;
}
