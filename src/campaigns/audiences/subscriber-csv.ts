import { CsvColumns } from '../../csv/csv-header';
import { CsvTableResult, readCsvTable, RowRead } from '../../csv/csv-table';
import { accept, characterProblem, FieldCheck, longerThan, optionalText, refuse, REQUIRED, RowProblem } from '../../csv/csv-rules';
import { ADDRESS_CSV_COLUMNS, AddressCsvColumn, PostalAddress, readAddress } from './address-fields';

/** One subscriber as the list gives it: personal data, all of it. */
export interface SubscriberRow {
  /** The local part as written, the domain in lower case. */
  email: string;
  name: string | null;
  /** For a fallback letter when an e-mail bounces. */
  address: PostalAddress | null;
}

export type SubscriberCsvResult = CsvTableResult<SubscriberRow>;

export const MAX_SUBSCRIBERS_PER_FILE = 100_000;

export const SUBSCRIBER_CSV_COLUMNS = ['e-mail', 'naam', ...ADDRESS_CSV_COLUMNS] as const;
export type SubscriberCsvColumn = (typeof SUBSCRIBER_CSV_COLUMNS)[number];

export const SUBSCRIBER_COLUMNS = new CsvColumns<SubscriberCsvColumn>({
  columns: SUBSCRIBER_CSV_COLUMNS,
  optional: ['naam', ...ADDRESS_CSV_COLUMNS],
  together: ['straat', 'huisnummer', 'postcode', 'woonplaats'],
  otherNames: new Map<string, SubscriberCsvColumn>([['email', 'e-mail']]),
  listName: 'the subscriber list',
});

/** Ends with a letter-only top-level domain; labels of letters, digits and inner hyphens. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Printable ASCII a mailbox name may hold (RFC 5322 dot-atom), no leading, trailing or double dot. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** An e-mail address: at most 254 characters, one @, a sane domain; the domain in lower case. */
export function emailAddress(cell: string): FieldCheck<string> {
  if (cell === '') return refuse(REQUIRED);
  if (longerThan(cell, 254)) return refuse('is longer than 254 characters');
  const at = cell.indexOf('@');
  if (at === -1 || cell.indexOf('@', at + 1) !== -1) return refuse('is not an e-mail address: it must hold exactly one @');
  const local = cell.slice(0, at);
  const domain = cell.slice(at + 1).toLowerCase();
  if (local.length === 0 || local.length > 64 || !LOCAL_PART.test(local)) return refuse('is not an e-mail address: the part before @ is not valid');
  if (!DOMAIN.test(domain)) return refuse('is not an e-mail address: the domain after @ is not valid');
  return accept(`${local}@${domain}`);
}

/** What recognises a subscriber: the whole address in lower case (mailboxes do not tell case apart in practice). */
export const emailIdentity = (email: string) => email.toLowerCase();

/**
 * The subscribers of an e-mail subscriber list as Dutch Excel saves it: `e-mail;naam`, `naam`
 * optional, and perhaps the address columns `straat;huisnummer;toevoeging;postcode;woonplaats`
 * (all of them in the header or none; per line all filled, `toevoeging` aside, or none). The same
 * e-mail address twice is a problem of the later line. Problems never hold a value.
 */
export function parseSubscriberCsv(bytes: Buffer): SubscriberCsvResult {
  return readCsvTable(bytes, {
    columns: SUBSCRIBER_COLUMNS,
    noun: 'subscribers',
    maxRows: MAX_SUBSCRIBERS_PER_FILE,
    readRow: readSubscriber,
    duplicate: (line, earlier) => ({ line, column: 'e-mail', rule: `the same e-mail address as line ${earlier}` }),
  });
}

/** The address columns a line fills when it gives an address (toevoeging may stay empty). */
const REQUIRED_ADDRESS_COLUMNS: readonly AddressCsvColumn[] = ['straat', 'huisnummer', 'postcode', 'woonplaats'];

function readSubscriber(line: number, cells: Partial<Record<SubscriberCsvColumn, string>>): RowRead<SubscriberRow> {
  const problems: RowProblem[] = [];
  const check = <T>(column: SubscriberCsvColumn, rule: (cell: string) => FieldCheck<T>, ifMissing?: T): T | undefined => {
    const cell = cells[column];
    if (cell === undefined) return ifMissing; // the header's problem, said once there
    const characters = characterProblem(cell);
    const result = characters === null ? rule(cell) : refuse<T>(characters);
    if (result.ok) return result.value;
    problems.push({ line, column, rule: result.rule });
    return undefined;
  };
  const email = check('e-mail', emailAddress);
  const name = check('naam', (cell) => optionalText(cell, 100), null);

  // Without every address column the header is refused already (see `together`): no address then.
  const addressColumnsInFile = REQUIRED_ADDRESS_COLUMNS.every((column) => cells[column] !== undefined);
  let address: PostalAddress | null = null;
  if (addressColumnsInFile && ADDRESS_CSV_COLUMNS.some((column) => (cells[column] ?? '') !== '')) {
    const read = readAddress(line, cells);
    if (read.address === null) {
      const filled = REQUIRED_ADDRESS_COLUMNS.filter((column) => (cells[column] ?? '') !== '');
      if (filled.length < REQUIRED_ADDRESS_COLUMNS.length) {
        problems.push({ line, column: null, rule: 'an address is given in full (straat, huisnummer, postcode, woonplaats) or not at all' });
      }
      // Column rules also for what is filled, never for a required cell left empty (said above).
      for (const problem of read.problems) if ((cells[problem.column as AddressCsvColumn] ?? '') !== '') problems.push(problem);
    } else address = read.address;
  }
  const row = problems.length === 0 && email !== undefined && name !== undefined ? { email, name, address } : null;
  return { row, problems, key: email === undefined ? undefined : emailIdentity(email) };
}
