import { accept, characterProblem, dutchPostcode, FieldCheck, optionalText, refuse, REQUIRED, requiredText, RowProblem } from '../../csv/csv-rules';

/** A postal address in the Netherlands, as the audiences keep it. */
export interface PostalAddress {
  street: string;
  /** 1 to 99999 */
  houseNumber: number;
  /** Upper case; '' when there is none. */
  addition: string;
  /** `1234 AB` */
  postcode: string;
  city: string;
}

export const ADDRESS_CSV_COLUMNS = ['straat', 'huisnummer', 'toevoeging', 'postcode', 'woonplaats'] as const;
export type AddressCsvColumn = (typeof ADDRESS_CSV_COLUMNS)[number];

const HOUSE_NUMBER = /^[1-9]\d{0,4}$/;
const ADDITION = /^[A-Za-z0-9 -]+$/;

const houseNumber = (cell: string): FieldCheck<number> => {
  if (cell === '') return refuse(REQUIRED);
  if (!HOUSE_NUMBER.test(cell)) return refuse('is not a house number: a whole number from 1 to 99999 (an addition goes in toevoeging)');
  return accept(Number(cell));
};

const addition = (cell: string): FieldCheck<string> => {
  const text = optionalText(cell, 10);
  if (!text.ok) return text;
  if (text.value === null) return accept('');
  if (!ADDITION.test(cell)) return refuse('may hold only letters, digits, spaces and hyphens');
  return accept(cell.replace(/ +/g, ' ').toUpperCase());
};

const ADDRESS_RULES: { readonly [C in AddressCsvColumn]: (cell: string) => FieldCheck<unknown> } = {
  straat: (cell) => requiredText(cell, 100),
  huisnummer: houseNumber,
  toevoeging: addition,
  postcode: dutchPostcode,
  woonplaats: (cell) => requiredText(cell, 80),
};

/** The same address twice: its postcode, house number and addition. */
export const addressKey = (address: Pick<PostalAddress, 'postcode' | 'houseNumber' | 'addition'>) =>
  `${address.postcode}|${address.houseNumber}|${address.addition}`;

/**
 * An address from its cells (trimmed; a missing toevoeging column as ''), or the problems of the
 * line, by column, never with the value; no address when the header lacks a required column.
 */
export function readAddress(line: number, cells: Partial<Record<AddressCsvColumn, string>>): { address: PostalAddress | null; problems: RowProblem[] } {
  const values: Partial<Record<AddressCsvColumn, unknown>> = {};
  const problems: RowProblem[] = [];
  let columnMissing = false;
  for (const column of ADDRESS_CSV_COLUMNS) {
    // A column the header lacks is the header's problem (said once there), not every line's.
    if (cells[column] === undefined && column !== 'toevoeging') {
      columnMissing = true;
      continue;
    }
    const cell = cells[column] ?? '';
    const rule = characterProblem(cell);
    const check = rule === null ? ADDRESS_RULES[column](cell) : refuse(rule);
    if (check.ok) values[column] = check.value;
    else problems.push({ line, column, rule: check.rule });
  }
  if (problems.length > 0 || columnMissing) return { address: null, problems };
  return {
    address: {
      street: values.straat as string,
      houseNumber: values.huisnummer as number,
      addition: values.toevoeging as string,
      postcode: values.postcode as string,
      city: values.woonplaats as string,
    },
    problems,
  };
}
