/** The columns of the client list, in the order the template has them. */
export const CLIENT_CSV_COLUMNS = [
  'clientnummer',
  'voornaam',
  'achternaam',
  'geboortedatum',
  'straat',
  'huisnummer',
  'postcode',
  'woonplaats',
  'telefoon',
  'e-mail',
  'doelgroep',
  'toelichting',
] as const;
export type ClientCsvColumn = (typeof CLIENT_CSV_COLUMNS)[number];

const OTHER_NAMES = new Map<string, ClientCsvColumn>([['email', 'e-mail']]);

const MAX_SHOWN_HEADER = 40;

export interface HeaderProblem {
  column: string | null;
  rule: string;
}

export interface ClientCsvHeader {
  /** Where each column is in a line; a missing column has none. */
  positions: Map<ClientCsvColumn, number>;
  /** Positions whose header cell is empty: harmless while no line puts a value there. */
  unnamedPositions: number[];
  problems: HeaderProblem[];
}

export const columnIsMissing = (column: ClientCsvColumn): HeaderProblem => ({ column, rule: 'the column is missing' });

export function readHeader(cells: readonly string[]): ClientCsvHeader {
  const positions = new Map<ClientCsvColumn, number>();
  const unnamedPositions: number[] = [];
  const problems: HeaderProblem[] = [];
  cells.forEach((cell, position) => {
    const name = normaliseHeaderCell(cell);
    const column = columnNamed(name);
    if (name === '') unnamedPositions.push(position);
    else if (column === null) problems.push(unknownColumn(cell));
    else if (positions.has(column)) problems.push({ column, rule: 'the column appears more than once' });
    else positions.set(column, position);
  });
  if (positions.size === 0) return { positions, unnamedPositions, problems: [NO_HEADER] };
  for (const column of CLIENT_CSV_COLUMNS) if (!positions.has(column)) problems.push(columnIsMissing(column));
  return { positions, unnamedPositions, problems };
}

/**
 * When no cell names a column, the first line is most likely a client rather than a header: its
 * cells are then not repeated as unknown column names, as they would be personal data.
 */
const NO_HEADER: HeaderProblem = {
  column: null,
  rule: `the first line must be the header: ${CLIENT_CSV_COLUMNS.join(';')}`,
};

/** Whether a line repeats the header (two lists pasted together, say). */
export const repeatsHeader = (header: readonly string[], cells: readonly string[]) =>
  cells.length === header.length && cells.every((cell, position) => normaliseHeaderCell(cell) === normaliseHeaderCell(header[position]));

export const unnamedColumnHoldsValues = (position: number): HeaderProblem => ({
  column: null,
  rule: `column ${position + 1} has no header but holds values; remove it (only what the handover needs is kept)`,
});

/** Sorts problems of one line: the line's own first, then columns in template order, then unknown ones. */
export function columnRank(column: string | null): number {
  if (column === null) return -1;
  const index = (CLIENT_CSV_COLUMNS as readonly string[]).indexOf(column);
  return index === -1 ? CLIENT_CSV_COLUMNS.length : index;
}

const normaliseHeaderCell = (cell: string) => cell.replace(/^\uFEFF/, '').trim().toLowerCase();

function columnNamed(name: string): ClientCsvColumn | null {
  if ((CLIENT_CSV_COLUMNS as readonly string[]).includes(name)) return name as ClientCsvColumn;
  return OTHER_NAMES.get(name) ?? null;
}

function unknownColumn(cell: string): HeaderProblem {
  return {
    column: shownHeader(cell),
    rule: 'the column is not part of the client list; remove it (only what the handover needs is kept)',
  };
}

/** An unknown header as a problem may show it: without control characters, at most 40 characters. */
function shownHeader(cell: string): string {
  const printable = cell.replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim();
  return Array.from(printable).slice(0, MAX_SHOWN_HEADER).join('');
}
