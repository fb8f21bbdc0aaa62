import { CellsOf, CsvTableResult, readCsvTable, RowRead } from '../../csv/csv-table';
import { RowProblem } from '../../csv/csv-rules';
import { ClientPersonalData } from '../client-personal-data';
import { TargetGroup } from '../client.events';
import { CLIENT_COLUMNS, CLIENT_CSV_COLUMNS, ClientCsvColumn } from './client-csv-columns';
import { characterProblem, ClientCsvValues, FIELD_RULES, FieldContext } from './client-field-rules';

export type { RowProblem } from '../../csv/csv-rules';
export { MAX_PROBLEMS_LISTED } from '../../csv/csv-table';

export interface ClientRow {
  line: number;
  clientNumber: string;
  targetGroup: TargetGroup;
  personal: ClientPersonalData;
}

export type ClientCsvResult = CsvTableResult<ClientRow>;

export const MAX_CLIENTS_PER_FILE = 10_000;

export interface ParseClientCsvOptions {
  /** The day no one on the list is born after; the current UTC date unless given. */
  today?: Date;
}

/**
 * The clients of a client list as Dutch Excel saves it (`;`-separated, UTF-8 or Windows-1252),
 * every one validated; or every problem found, by line and column, without the values.
 */
export function parseClientCsv(bytes: Buffer, { today = new Date() }: ParseClientCsvOptions = {}): ClientCsvResult {
  const context: FieldContext = { today: today.toISOString().slice(0, 10) };
  return readCsvTable(bytes, {
    columns: CLIENT_COLUMNS,
    noun: 'clients',
    maxRows: MAX_CLIENTS_PER_FILE,
    readRow: (line, cells) => readClient(line, cells, context),
    duplicate: (line, earlier): RowProblem => ({ line, column: 'clientnummer', rule: `the same client number as line ${earlier}` }),
  });
}

function readClient(line: number, cells: CellsOf<ClientCsvColumn>, context: FieldContext): RowRead<ClientRow> {
  const values: Partial<Record<ClientCsvColumn, unknown>> = {};
  const problems: RowProblem[] = [];
  for (const column of CLIENT_CSV_COLUMNS) {
    const cell = cells[column];
    if (cell === undefined) continue;
    const rule = characterProblem(cell, column === 'toelichting');
    const check = rule === null ? FIELD_RULES[column](cell, context) : { ok: false as const, rule };
    if (check.ok) values[column] = check.value;
    else problems.push({ line, column, rule: check.rule });
  }
  const clientNumber = values.clientnummer as string | undefined;
  const row = problems.length === 0 ? toClientRow(line, values as unknown as ClientCsvValues) : null;
  return { row, problems, key: clientNumber };
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
