const MAX_SHOWN_HEADER = 40;

export interface HeaderProblem {
  column: string | null;
  rule: string;
}

export interface CsvHeader<C extends string> {
  /** Where each column is in a line; a missing column has none. */
  positions: Map<C, number>;
  /** Positions whose header cell is empty: harmless while no line puts a value there. */
  unnamedPositions: number[];
  problems: HeaderProblem[];
}

export interface CsvColumnsSpec<C extends string> {
  /** Every column, in the order the template has them. */
  columns: readonly C[];
  /** Columns a file may leave out (all others are required). */
  optional?: readonly C[];
  /** Optional columns that come all together or not at all. */
  together?: readonly C[];
  /** Other names a header may give a column (lower case). */
  otherNames?: ReadonlyMap<string, C>;
  /** What the file is, for a rule: "the client list". */
  listName: string;
}

/** Reads and checks the header line of one kind of CSV file, and sorts its problems. */
export class CsvColumns<C extends string> {
  constructor(readonly spec: CsvColumnsSpec<C>) {}

  readHeader(cells: readonly string[]): CsvHeader<C> {
    const positions = new Map<C, number>();
    const unnamedPositions: number[] = [];
    const problems: HeaderProblem[] = [];
    cells.forEach((cell, position) => {
      const name = normaliseHeaderCell(cell);
      const column = this.columnNamed(name);
      if (name === '') unnamedPositions.push(position);
      else if (column === null) problems.push(this.unknownColumn(cell));
      else if (positions.has(column)) problems.push({ column, rule: 'the column appears more than once' });
      else positions.set(column, position);
    });
    // When no cell names a column, the first line is most likely data rather than a header: its
    // cells are then not repeated as unknown column names, as they could be personal data.
    if (positions.size === 0) return { positions, unnamedPositions, problems: [this.noHeader()] };
    const optional: readonly string[] = this.spec.optional ?? [];
    for (const column of this.spec.columns) {
      if (!positions.has(column) && !optional.includes(column)) problems.push(columnIsMissing(column));
    }
    const together = this.spec.together ?? [];
    if (together.some((column) => positions.has(column))) {
      for (const column of together) {
        if (!positions.has(column)) problems.push({ column, rule: `the column is missing: ${together.join(';')} come all together or not at all` });
      }
    }
    return { positions, unnamedPositions, problems };
  }

  noHeader(): HeaderProblem {
    return { column: null, rule: `the first line must be the header: ${this.spec.columns.join(';')}` };
  }

  /** Sorts problems of one line: the line's own first, then columns in template order, then unknown ones. */
  columnRank(column: string | null): number {
    if (column === null) return -1;
    const index = (this.spec.columns as readonly string[]).indexOf(column);
    return index === -1 ? this.spec.columns.length : index;
  }

  private columnNamed(name: string): C | null {
    if ((this.spec.columns as readonly string[]).includes(name)) return name as C;
    return this.spec.otherNames?.get(name) ?? null;
  }

  private unknownColumn(cell: string): HeaderProblem {
    return {
      column: shownHeader(cell),
      rule: `the column is not part of ${this.spec.listName}; remove it (only what the handover needs is kept)`,
    };
  }
}

export const columnIsMissing = (column: string): HeaderProblem => ({ column, rule: 'the column is missing' });

/** Whether a line repeats the header (two lists pasted together, say). */
export const repeatsHeader = (header: readonly string[], cells: readonly string[]) =>
  cells.length === header.length && cells.every((cell, position) => normaliseHeaderCell(cell) === normaliseHeaderCell(header[position]));

export const unnamedColumnHoldsValues = (position: number): HeaderProblem => ({
  column: null,
  rule: `column ${position + 1} has no header but holds values; remove it (only what the handover needs is kept)`,
});

const normaliseHeaderCell = (cell: string) => cell.replace(/^\uFEFF/, '').trim().toLowerCase();

/** An unknown header as a problem may show it: without control characters, at most 40 characters. */
function shownHeader(cell: string): string {
  const printable = cell.replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim();
  return Array.from(printable).slice(0, MAX_SHOWN_HEADER).join('');
}
