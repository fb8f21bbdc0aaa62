import { CsvError, parse } from 'csv-parse/sync';
import { countLineFeeds } from './decode-csv-file';

export interface CsvRecord {
  /** The line in the file where the record starts; the header is line 1. */
  line: number;
  cells: string[];
}

export interface CsvRecords {
  records: CsvRecord[];
  /** Where reading stopped on a record that is not CSV, with why; the records before it are read. */
  unreadable: { line: number; rule: string } | null;
}

/** Stops csv-parse, which has no other way to stop early. */
class EnoughRecords extends Error {}

/**
 * The records of a semicolon-separated text with LF line ends, empty lines included (as one empty
 * cell), up to and including the `maxFilled`th record that has a non-blank cell: what follows need
 * not be read, even when the file is large.
 */
export function readCsvRecords(text: string, maxFilled: number): CsvRecords {
  const records: CsvRecord[] = [];
  let filled = 0;
  try {
    parse(text, {
      delimiter: ';',
      // Cells are counted per record by the caller, so every bad line is reported, not only the first.
      relax_column_count: true,
      // A quote inside an unquoted cell (`12 "bis"`) is taken as text, as Excel means it.
      relax_quotes: true,
      on_record: (cells: string[], { lines }) => {
        // `lines` is where the record ends; a quoted cell may span lines.
        records.push({ line: lines - countLineFeedsIn(cells), cells });
        if (!isBlank(cells) && ++filled === maxFilled) throw new EnoughRecords();
        return null;
      },
    });
    return { records, unreadable: null };
  } catch (error) {
    if (error instanceof EnoughRecords) return { records, unreadable: null };
    if (!(error instanceof CsvError)) throw error;
    return { records, unreadable: { line: nextLine(records), rule: unreadableRule(error) } };
  }
}

export const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');

function countLineFeedsIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) if (cell.includes('\n')) count += countLineFeeds(cell);
  return count;
}

function nextLine(records: CsvRecord[]): number {
  const last = records.at(-1);
  return last === undefined ? 1 : last.line + countLineFeedsIn(last.cells) + 1;
}

function unreadableRule(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote (") opens a cell but nothing closes it';
  return 'the line cannot be read as CSV';
}
