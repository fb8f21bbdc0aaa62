import { CsvColumns } from '../../csv/csv-header';
import { CsvTableResult, readCsvTable } from '../../csv/csv-table';
import { ADDRESS_CSV_COLUMNS, AddressCsvColumn, addressKey, PostalAddress, readAddress } from './address-fields';

export type AddressRow = PostalAddress;
export type AddressCsvResult = CsvTableResult<AddressRow>;

export const MAX_ADDRESSES_PER_FILE = 100_000;

export const ADDRESS_COLUMNS = new CsvColumns<AddressCsvColumn>({
  columns: ADDRESS_CSV_COLUMNS,
  optional: ['toevoeging'],
  listName: 'the address list',
});

/**
 * The addresses of a district's address list as Dutch Excel saves it
 * (`straat;huisnummer;toevoeging;postcode;woonplaats`), every one validated; or every problem,
 * by line and column, never with the value. The same address twice is a problem of the later line.
 */
export function parseAddressCsv(bytes: Buffer): AddressCsvResult {
  return readCsvTable(bytes, {
    columns: ADDRESS_COLUMNS,
    noun: 'addresses',
    maxRows: MAX_ADDRESSES_PER_FILE,
    readRow: (line, cells) => {
      const { address, problems } = readAddress(line, cells);
      return { row: address, problems, key: address ? addressKey(address) : undefined };
    },
    duplicate: (line, earlier) => ({ line, column: null, rule: `the same address (postcode, huisnummer, toevoeging) as line ${earlier}` }),
  });
}
