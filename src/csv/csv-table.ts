import { CsvColumns, CsvHeader, repeatsHeader, unnamedColumnHoldsValues } from './csv-header';
import { RowProblem } from './csv-rules';
import { decodeCsvFile } from './decode-csv-file';
import { CsvRecord, isBlank, readCsvRecords } from './read-csv-records';

export type CsvTableResult<R> = { ok: true; rows: R[] } | { ok: false; problems: RowProblem[]; problemCount: number };

/** How many problems a result lists; the rest are counted. */
export const MAX_PROBLEMS_LISTED = 200;

const HEADER_LINE = 1;
const NOT_UTF8 = 'the file is not valid UTF-8 text, though it starts as such';
const NOT_SEMICOLON: RowProblem = {
  line: HEADER_LINE,
  column: null,
  rule: 'the separator must be a semicolon (;), as Dutch Excel writes it',
};

/** One line's cells by column (trimmed); a column the header lacks is absent. */
export type CellsOf<C extends string> = Partial<Record<C, string>>;

export interface RowRead<R> {
  /** The row, when every rule of the line held. */
  row: R | null;
  problems: RowProblem[];
  /** What makes the line the same as an earlier one (a duplicate is a problem), when it can be told. */
  key?: string;
}

export interface CsvTableSpec<C extends string, R> {
  columns: CsvColumns<C>;
  /** What a line holds, plural: "clients", "addresses". */
  noun: string;
  maxRows: number;
  readRow(line: number, cells: CellsOf<C>): RowRead<R>;
  /** The problem of a line whose key an earlier line has. */
  duplicate?(line: number, earlierLine: number): RowProblem;
}

/**
 * The rows of a CSV file as Dutch Excel saves it (`;`-separated, UTF-8 with or without BOM, or
 * Windows-1252), every line validated by the spec; or every problem found, by line and column,
 * never with the values. A file with any problem gives no rows at all.
 */
export function readCsvTable<C extends string, R>(bytes: Buffer, spec: CsvTableSpec<C, R>): CsvTableResult<R> {
  const empty: RowProblem = { line: HEADER_LINE, column: null, rule: `the file holds no ${spec.noun}` };
  const refused = (problems: RowProblem[]) => refusal<R>(problems, spec.columns);
  const decoded = decodeCsvFile(bytes);
  if (!decoded.ok) return refused([{ line: decoded.line, column: null, rule: NOT_UTF8 }]);
  if (decoded.text.trim() === '') return refused([empty]);
  if (separatorIsNotSemicolon(decoded.text)) return refused([NOT_SEMICOLON]);

  // The header, the most rows a file may hold, and one more to say there are too many.
  const { records, unreadable } = readCsvRecords(decoded.text, 1 + spec.maxRows + 1);
  const [headerRecord, ...lines] = records;
  const unreadableProblems: RowProblem[] = unreadable ? [{ line: unreadable.line, column: null, rule: unreadable.rule }] : [];
  if (headerRecord === undefined) return refused(unreadableProblems);

  const header = spec.columns.readHeader(headerRecord.cells);
  const headerProblems = header.problems.map((problem) => ({ line: HEADER_LINE, ...problem }));
  if (header.positions.size === 0) return refused([...unreadableProblems, ...headerProblems]);

  const read = readRows(lines, headerRecord.cells, header, spec);
  const none = read.count === 0 && unreadable === null ? [empty] : [];
  // Spread into an array, not into push(): a file can have over a hundred thousand problems.
  const problems = [...unreadableProblems, ...headerProblems, ...read.problems, ...none];
  return problems.length === 0 ? { ok: true, rows: read.rows } : refused(problems);
}

/** Only the header line is looked at: a comma or tab there, and no semicolon, means the whole file is so. */
function separatorIsNotSemicolon(text: string): boolean {
  const end = text.indexOf('\n');
  const headerLine = end === -1 ? text : text.slice(0, end);
  return !headerLine.includes(';') && (headerLine.includes(',') || headerLine.includes('\t'));
}

function readRows<C extends string, R>(lines: CsvRecord[], headerCells: string[], header: CsvHeader<C>, spec: CsvTableSpec<C, R>) {
  const rows: R[] = [];
  const problems: RowProblem[] = [];
  const lineOfKey = new Map<string, number>();
  const unnamedColumnsUsed = new Set<number>();
  let count = 0;

  for (const { line, cells } of lines) {
    if (isBlank(cells)) continue;
    if (++count > spec.maxRows) {
      problems.push({ line, column: null, rule: `a file holds at most ${spec.maxRows.toLocaleString('en')} ${spec.noun}` });
      break;
    }
    if (cells.length !== headerCells.length) {
      problems.push({ line, column: null, rule: `the line has ${cellCount(cells.length)}; the header has ${headerCells.length}` });
      continue;
    }
    if (repeatsHeader(headerCells, cells)) {
      problems.push({ line, column: null, rule: 'the line repeats the header; remove it' });
      continue;
    }
    for (const position of header.unnamedPositions) if (cells[position].trim() !== '') unnamedColumnsUsed.add(position);

    const byColumn: CellsOf<C> = {};
    for (const [column, position] of header.positions) byColumn[column] = cells[position].trim();
    const read = spec.readRow(line, byColumn);
    const lineProblems = [...read.problems];
    const earlier = read.key === undefined ? undefined : lineOfKey.get(read.key);
    if (earlier !== undefined && spec.duplicate) lineProblems.push(spec.duplicate(line, earlier));
    else if (read.key !== undefined) lineOfKey.set(read.key, line);

    if (lineProblems.length === 0 && read.row !== null) rows.push(read.row);
    else for (const problem of lineProblems) problems.push(problem);
  }

  for (const position of unnamedColumnsUsed) problems.push({ line: HEADER_LINE, ...unnamedColumnHoldsValues(position) });
  return { rows, count, problems };
}

const cellCount = (count: number) => `${count} ${count === 1 ? 'cell' : 'cells'}`;

function refusal<R>(problems: RowProblem[], columns: CsvColumns<string>): CsvTableResult<R> {
  const ordered = [...problems].sort((a, b) => a.line - b.line || columns.columnRank(a.column) - columns.columnRank(b.column));
  return { ok: false, problems: ordered.slice(0, MAX_PROBLEMS_LISTED), problemCount: problems.length };
}
