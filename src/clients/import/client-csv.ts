import { ClientPersonalData } from '../client-personal-data';
import { TargetGroup } from '../client.events';
import {
  CLIENT_CSV_COLUMNS,
  ClientCsvHeader,
  ClientCsvColumn,
  columnRank,
  readHeader,
  repeatsHeader,
  unnamedColumnHoldsValues,
} from './client-csv-columns';
import { decodeClientFile } from './decode-client-file';
import { characterProblem, ClientCsvValues, FIELD_RULES, FieldContext } from './client-field-rules';
import { CsvRecord, isBlank, readCsvRecords } from './read-csv-records';

export interface ClientRow {
  line: number;
  clientNumber: string;
  targetGroup: TargetGroup;
  personal: ClientPersonalData;
}

/** What is wrong where: a line, a column (null for the line itself) and the rule. Never the value. */
export interface RowProblem {
  line: number;
  column: string | null;
  rule: string;
}

export type ClientCsvResult = { ok: true; rows: ClientRow[] } | { ok: false; problems: RowProblem[]; problemCount: number };

export const MAX_CLIENTS_PER_FILE = 10_000;
/** How many problems a result lists; the rest are counted. */
export const MAX_PROBLEMS_LISTED = 200;

const HEADER_LINE = 1;
const NO_CLIENTS: RowProblem = { line: HEADER_LINE, column: null, rule: 'the file holds no clients' };
const NOT_SEMICOLON: RowProblem = {
  line: HEADER_LINE,
  column: null,
  rule: 'the separator must be a semicolon (;), as Dutch Excel writes it',
};

const NOT_UTF8 = 'the file is not valid UTF-8 text, though it starts as such';

export interface ParseClientCsvOptions {
  /** The day no one on the list is born after; the current UTC date unless given. */
  today?: Date;
}

/**
 * The clients of a client list as Dutch Excel saves it (`;`-separated, UTF-8 or Windows-1252),
 * every one validated; or every problem found, by line and column, without the values.
 */
export function parseClientCsv(bytes: Buffer, { today = new Date() }: ParseClientCsvOptions = {}): ClientCsvResult {
  const decoded = decodeClientFile(bytes);
  if (!decoded.ok) return refused([{ line: decoded.line, column: null, rule: NOT_UTF8 }]);
  if (decoded.text.trim() === '') return refused([NO_CLIENTS]);
  if (separatorIsNotSemicolon(decoded.text)) return refused([NOT_SEMICOLON]);

  // The header, the most clients a file may hold, and one more to say there are too many.
  const { records, unreadable } = readCsvRecords(decoded.text, 1 + MAX_CLIENTS_PER_FILE + 1);
  const [headerRecord, ...lines] = records;
  const unreadableProblems: RowProblem[] = unreadable ? [{ line: unreadable.line, column: null, rule: unreadable.rule }] : [];
  if (headerRecord === undefined) return refused(unreadableProblems);

  const header = readHeader(headerRecord.cells);
  const headerProblems = header.problems.map((problem) => ({ line: HEADER_LINE, ...problem }));
  if (header.positions.size === 0) return refused([...unreadableProblems, ...headerProblems]);

  const clients = readClients(lines, headerRecord.cells, header, { today: today.toISOString().slice(0, 10) });
  const noClients = clients.count === 0 && unreadable === null ? [NO_CLIENTS] : [];
  // Spread into an array, not into push(): a file can have over a hundred thousand problems.
  const problems = [...unreadableProblems, ...headerProblems, ...clients.problems, ...noClients];
  return problems.length === 0 ? { ok: true, rows: clients.rows } : refused(problems);
}

/** Only the header line is looked at: a comma or tab there, and no semicolon, means the whole file is so. */
function separatorIsNotSemicolon(text: string): boolean {
  const end = text.indexOf('\n');
  const headerLine = end === -1 ? text : text.slice(0, end);
  return !headerLine.includes(';') && (headerLine.includes(',') || headerLine.includes('\t'));
}

interface ClientsRead {
  rows: ClientRow[];
  /** Lines that hold a client, valid or not. */
  count: number;
  problems: RowProblem[];
}

function readClients(lines: CsvRecord[], headerCells: string[], header: ClientCsvHeader, context: FieldContext): ClientsRead {
  const rows: ClientRow[] = [];
  const problems: RowProblem[] = [];
  const lineOfClientNumber = new Map<string, number>();
  const unnamedColumnsUsed = new Set<number>();
  let count = 0;

  for (const { line, cells } of lines) {
    if (isBlank(cells)) continue;
    if (++count > MAX_CLIENTS_PER_FILE) {
      problems.push({ line, column: null, rule: `a file holds at most ${MAX_CLIENTS_PER_FILE.toLocaleString('en')} clients` });
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

    const client = readClient(line, cells, header, context);
    const clientNumber = client.values.clientnummer;
    const earlier = clientNumber === undefined ? undefined : lineOfClientNumber.get(clientNumber);
    if (earlier !== undefined) client.problems.push({ line, column: 'clientnummer', rule: `the same client number as line ${earlier}` });
    else if (clientNumber !== undefined) lineOfClientNumber.set(clientNumber, line);

    if (client.problems.length === 0) rows.push(toClientRow(line, client.values as ClientCsvValues));
    else for (const problem of client.problems) problems.push(problem);
  }

  for (const position of unnamedColumnsUsed) problems.push({ line: HEADER_LINE, ...unnamedColumnHoldsValues(position) });
  return { rows, count, problems };
}

const cellCount = (count: number) => `${count} ${count === 1 ? 'cell' : 'cells'}`;

interface ClientRead {
  /** The accepted value of every column whose cell passed its rules. */
  values: Partial<ClientCsvValues>;
  problems: RowProblem[];
}

function readClient(line: number, cells: string[], header: ClientCsvHeader, context: FieldContext): ClientRead {
  const values: Partial<Record<ClientCsvColumn, unknown>> = {};
  const problems: RowProblem[] = [];
  for (const column of CLIENT_CSV_COLUMNS) {
    const position = header.positions.get(column);
    if (position === undefined) continue;
    const cell = cells[position].trim();
    const rule = characterProblem(cell, column === 'toelichting');
    const check = rule === null ? FIELD_RULES[column](cell, context) : { ok: false as const, rule };
    if (check.ok) values[column] = check.value;
    else problems.push({ line, column, rule: check.rule });
  }
  return { values: values as Partial<ClientCsvValues>, problems };
}

function toClientRow(line: number, values: ClientCsvValues): ClientRow {
  return {
    line,
    clientNumber: values.clientnummer,
    targetGroup: values.doelgroep,
    personal: {
      firstName: values.voornaam,
      lastName: values.achternaam,
      birthDate: values.geboortedatum,
      street: values.straat,
      houseNumber: values.huisnummer,
      postcode: values.postcode,
      city: values.woonplaats,
      phone: values.telefoon,
      email: values['e-mail'],
      note: values.toelichting,
    },
  };
}

function refused(problems: RowProblem[]): ClientCsvResult {
  const ordered = [...problems].sort((a, b) => a.line - b.line || columnRank(a.column) - columnRank(b.column));
  return { ok: false, problems: ordered.slice(0, MAX_PROBLEMS_LISTED), problemCount: problems.length };
}
