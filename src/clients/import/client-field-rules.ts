import { isEmail } from 'class-validator';
import { TARGET_GROUPS, TargetGroup } from '../client.events';
import { ClientCsvColumn } from './client-csv-columns';
import {
  accept,
  characterProblem as sharedCharacterProblem,
  dutchPostcode,
  FieldCheck,
  optionalText,
  refuse,
  REQUIRED,
  requiredText,
} from '../../csv/csv-rules';

/** What each column holds once its cell is accepted. */
export interface ClientCsvValues {
  clientnummer: string;
  voornaam: string;
  achternaam: string;
  /** YYYY-MM-DD */
  geboortedatum: string;
  straat: string;
  huisnummer: string;
  /** `1234 AB` */
  postcode: string;
  woonplaats: string;
  telefoon: string | null;
  'e-mail': string | null;
  doelgroep: TargetGroup;
  toelichting: string | null;
}

export type { FieldCheck } from '../../csv/csv-rules';

export interface FieldContext {
  /** YYYY-MM-DD: no one on the list is born after it. */
  today: string;
}

type FieldRule<T> = (cell: string, context: FieldContext) => FieldCheck<T>;

const OLDEST_BIRTH_DATE = '1900-01-01';

const CLIENT_NUMBER = /^[A-Za-z0-9._/-]+$/;
const DUTCH_DATE = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A number from 1 to 99999, then perhaps a letter or addition: `12`, `12a`, `12-3`, `12 bis`, `12A-1`. */
const HOUSE_NUMBER = /^[1-9]\d{0,4}(?!\d)[A-Za-z0-9]*(?:[ /-][A-Za-z0-9]+)*$/;
const PHONE = /^\+?[0-9 ()-]+$/;

const clientNumber: FieldRule<string> = (cell) => {
  const text = requiredText(cell, 40);
  if (!text.ok) return text;
  if (!CLIENT_NUMBER.test(cell)) return refuse('may hold only letters, digits and . _ / -');
  return text;
};

const birthDate: FieldRule<string> = (cell, { today }) => {
  if (cell === '') return refuse(REQUIRED);
  const parts = datePartsOf(cell);
  if (parts === null) return refuse('is not a date written as dd-mm-jjjj or jjjj-mm-dd');
  if (!isCalendarDate(parts)) return refuse('is not a date that exists');
  const date = isoDate(parts);
  if (date > today) return refuse('lies after today');
  if (date < OLDEST_BIRTH_DATE) return refuse('lies before 1900');
  return accept(date);
};

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function datePartsOf(cell: string): DateParts | null {
  const dutch = DUTCH_DATE.exec(cell);
  if (dutch) return { day: Number(dutch[1]), month: Number(dutch[3]), year: Number(dutch[4]) };
  const iso = ISO_DATE.exec(cell);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  return null;
}

function isCalendarDate({ year, month, day }: DateParts): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

const isoDate = ({ year, month, day }: DateParts) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

const houseNumber: FieldRule<string> = (cell) => {
  const text = requiredText(cell, 20);
  if (!text.ok) return text;
  if (!HOUSE_NUMBER.test(cell)) return refuse('is not a house number: 1 to 99999, perhaps followed by a letter or addition');
  return text;
};

const postcode: FieldRule<string> = (cell) => dutchPostcode(cell);

const phone: FieldRule<string | null> = (cell) => {
  const text = optionalText(cell, 30);
  if (!text.ok || text.value === null) return text;
  const digits = cell.replace(/\D/g, '').length;
  if (!PHONE.test(cell) || digits < 10 || digits > 15) {
    return refuse('is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides');
  }
  return text;
};

const email: FieldRule<string | null> = (cell) => {
  const text = optionalText(cell, 254);
  if (!text.ok || text.value === null) return text;
  if (!isEmail(cell)) return refuse('is not an e-mail address');
  return text;
};

const targetGroup: FieldRule<TargetGroup> = (cell) => {
  if (cell === '') return refuse(REQUIRED);
  const code = cell.toLowerCase().replace(/ +/g, '-');
  const group = TARGET_GROUPS.find((candidate) => candidate === code);
  if (group === undefined) return refuse('is not one of: jeugd, ouderen, kwetsbare bewoners, overig');
  return accept(group);
};

export const FIELD_RULES: { readonly [C in ClientCsvColumn]: FieldRule<ClientCsvValues[C]> } = {
  clientnummer: clientNumber,
  voornaam: (cell) => requiredText(cell, 100),
  achternaam: (cell) => requiredText(cell, 100),
  geboortedatum: birthDate,
  straat: (cell) => requiredText(cell, 100),
  huisnummer: houseNumber,
  postcode,
  woonplaats: (cell) => requiredText(cell, 80),
  telefoon: phone,
  'e-mail': email,
  doelgroep: targetGroup,
  toelichting: (cell) => optionalText(cell, 1000),
};

/** Why a cell's characters are refused, whatever its column's own rule, or null. */
export function characterProblem(cell: string, lineBreaksAllowed: boolean): string | null {
  return sharedCharacterProblem(cell, lineBreaksAllowed ? null : 'holds a line break; only toelichting may');
}
