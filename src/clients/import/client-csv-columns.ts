import { CsvColumns } from '../../csv/csv-header';

export { columnIsMissing, repeatsHeader, unnamedColumnHoldsValues } from '../../csv/csv-header';
export type { HeaderProblem } from '../../csv/csv-header';

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

export const CLIENT_COLUMNS = new CsvColumns<ClientCsvColumn>({
  columns: CLIENT_CSV_COLUMNS,
  otherNames: new Map<string, ClientCsvColumn>([['email', 'e-mail']]),
  listName: 'the client list',
});

export const readHeader = (cells: readonly string[]) => CLIENT_COLUMNS.readHeader(cells);

/** Sorts problems of one line: the line's own first, then columns in template order, then unknown ones. */
export const columnRank = (column: string | null) => CLIENT_COLUMNS.columnRank(column);
