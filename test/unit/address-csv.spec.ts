import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'iconv-lite';
import { AddressCsvResult, AddressRow, MAX_ADDRESSES_PER_FILE, parseAddressCsv } from '../../src/campaigns/audiences/address-csv';
import { ADDRESS_CSV_COLUMNS, AddressCsvColumn } from '../../src/campaigns/audiences/address-fields';
import { emailAddress, parseSubscriberCsv, SubscriberCsvResult } from '../../src/campaigns/audiences/subscriber-csv';
import type { RowProblem } from '../../src/csv/csv-rules';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/address-csv', name));

const HEADER = ADDRESS_CSV_COLUMNS.join(';');
const GOOD: Record<AddressCsvColumn, string> = { straat: 'Kreëlstraat', huisnummer: '12', toevoeging: '', postcode: '3071 AB', woonplaats: 'Rotterdam' };
const quoted = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const line = (changes: Partial<Record<AddressCsvColumn, string>> = {}) =>
  ADDRESS_CSV_COLUMNS.map((column) => quoted(changes[column] ?? GOOD[column])).join(';');
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n');

function rowsOf(result: AddressCsvResult): AddressRow[] {
  if (!result.ok) throw new Error(`expected the file to be accepted, got ${JSON.stringify(result.problems)}`);
  return result.rows;
}
function problemsOf(result: AddressCsvResult | SubscriberCsvResult): RowProblem[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}
const expectNoneOf = (result: unknown, values: string[]) => {
  const json = JSON.stringify(result);
  for (const value of values) expect(json).not.toContain(value);
};

describe('address list (CSV as Dutch Excel saves it)', () => {
  it('reads UTF-8 with BOM, normalising postcode and addition', () => {
    expect(rowsOf(parseAddressCsv(fixture('good-utf8-bom.csv')))).toEqual([
      { street: 'Kreëlstraat', houseNumber: 12, addition: '', postcode: '3071 AB', city: 'Rotterdam' },
      { street: 'Oranjeboomstraat', houseNumber: 7, addition: 'B', postcode: '3071 AB', city: 'Rotterdam' },
      { street: 'Hillelaan', houseNumber: 101, addition: '2-HOOG', postcode: '3072 CD', city: 'Rotterdam' },
    ]);
  });

  it('reads Windows-1252 ("Kreëlstraat")', () => {
    const rows = rowsOf(parseAddressCsv(fixture('good-windows-1252.csv')));
    expect(rows.map((row) => row.street)).toEqual(['Kreëlstraat', 'Café-straat']);
  });

  it('reads a file without the optional toevoeging column', () => {
    const file = Buffer.from('straat;huisnummer;postcode;woonplaats\nKreëlstraat;12;3071AB;Rotterdam\n');
    expect(rowsOf(parseAddressCsv(file))).toEqual([{ street: 'Kreëlstraat', houseNumber: 12, addition: '', postcode: '3071 AB', city: 'Rotterdam' }]);
  });

  it('refuses a comma-separated file, saying why', () => {
    expect(problemsOf(parseAddressCsv(fixture('comma-separated.csv')))).toEqual([
      { line: 1, column: null, rule: 'the separator must be a semicolon (;), as Dutch Excel writes it' },
    ]);
  });

  it('keeps a formula as text', () => {
    expect(rowsOf(parseAddressCsv(fixture('formula-street.csv')))[0].street).toBe('=HYPERLINK("http://example.invalid";"klik")');
  });

  it('refuses a missing column and an extra one', () => {
    const missing = Buffer.from('straat;huisnummer;toevoeging;woonplaats\nKreëlstraat;12;;Rotterdam\n');
    expect(problemsOf(parseAddressCsv(missing))).toEqual([{ line: 1, column: 'postcode', rule: 'the column is missing' }]);
    const extra = Buffer.from(`${HEADER};naam\n${line()};Jansen\n`);
    const problems = problemsOf(parseAddressCsv(extra));
    expect(problems).toEqual([{ line: 1, column: 'naam', rule: expect.stringContaining('not part of the address list') }]);
  });

  it('refuses a line with an extra cell', () => {
    expect(problemsOf(parseAddressCsv(csv(line(), `${line({ huisnummer: '13' })};x`)))).toEqual([
      { line: 3, column: null, rule: 'the line has 6 cells; the header has 5' },
    ]);
  });

  it.each([
    ['0123 AB', 'starts with 0'],
    ['3071 SA', 'SA'],
    ['3071 sd', 'SD'],
    ['3071 SS', 'SS'],
    ['3071', 'no letters'],
    ['307 1AB', 'space in the wrong place'],
    ['30711AB', 'five digits'],
    ['', 'empty'],
  ])('refuses postcode %j (%s), never repeating it', (postcode) => {
    const result = parseAddressCsv(csv(line({ postcode })));
    expect(problemsOf(result)).toEqual([{ line: 2, column: 'postcode', rule: postcode === '' ? 'is required' : 'is not a Dutch postcode (1234 AB)' }]);
    if (postcode) expectNoneOf(result, [postcode]);
  });

  it.each(['3071ab', '3071 ab', '3071AB', ' 3071 AB '])('accepts postcode %j as 3071 AB', (postcode) => {
    expect(rowsOf(parseAddressCsv(csv(line({ postcode }))))[0].postcode).toBe('3071 AB');
  });

  it.each([
    ['huisnummer', '0'],
    ['huisnummer', '100000'],
    ['huisnummer', '12a'],
    ['huisnummer', '-3'],
    ['huisnummer', ''],
    ['toevoeging', 'a/b'],
    ['toevoeging', 'abcdefghijk'],
    ['straat', ''],
    ['straat', 'x'.repeat(101)],
    ['woonplaats', ''],
    ['woonplaats', 'y'.repeat(81)],
  ] as const)('refuses %s %j', (column, value) => {
    const problems = problemsOf(parseAddressCsv(csv(line({ [column]: value }))));
    expect(problems).toEqual([{ line: 2, column, rule: expect.any(String) }]);
  });

  it('accepts the largest house number and a 100-character street', () => {
    const [row] = rowsOf(parseAddressCsv(csv(line({ huisnummer: '99999', straat: 's'.repeat(100) }))));
    expect(row.houseNumber).toBe(99999);
  });

  it('refuses NUL and control characters, without the value', () => {
    const result = parseAddressCsv(csv(line({ straat: 'Kerk\u0000straat-geheim' }), line({ huisnummer: '13', woonplaats: 'Rot\u0007terdam-geheim' })));
    expect(problemsOf(result)).toEqual([
      { line: 2, column: 'straat', rule: 'holds a control character' },
      { line: 3, column: 'woonplaats', rule: 'holds a control character' },
    ]);
    expectNoneOf(result, ['geheim']);
  });

  it('refuses a 10,000-character field without echoing it', () => {
    const long = `lang${'x'.repeat(9_996)}`;
    const result = parseAddressCsv(csv(line({ straat: long })));
    expect(problemsOf(result)).toEqual([{ line: 2, column: 'straat', rule: 'is longer than 100 characters' }]);
    expectNoneOf(result, ['xxxxxxxxxx']);
  });

  it('refuses the same address twice in the file, naming the earlier line', () => {
    const result = parseAddressCsv(csv(line(), line({ huisnummer: '13' }), line({ straat: 'Andere straat', postcode: '3071ab' })));
    expect(problemsOf(result)).toEqual([{ line: 4, column: null, rule: 'the same address (postcode, huisnummer, toevoeging) as line 2' }]);
  });

  it('tells an addition apart: 12 and 12 A are two addresses', () => {
    expect(rowsOf(parseAddressCsv(csv(line(), line({ toevoeging: 'a' }))))).toHaveLength(2);
  });

  it('refuses an empty file and a header alone', () => {
    expect(problemsOf(parseAddressCsv(Buffer.from('')))).toEqual([{ line: 1, column: null, rule: 'the file holds no addresses' }]);
    expect(problemsOf(parseAddressCsv(csv()))).toEqual([{ line: 1, column: null, rule: 'the file holds no addresses' }]);
  });

  it('takes 100,000 addresses and refuses 100,001, saying the limit', () => {
    const lines: string[] = [];
    for (let n = 0; n <= MAX_ADDRESSES_PER_FILE; n++) lines.push(`Straat;${(n % 99_999) + 1};${Math.floor(n / 99_999) || ''};3071 AB;Rotterdam`);
    expect(rowsOf(parseAddressCsv(csv(...lines.slice(0, MAX_ADDRESSES_PER_FILE))))).toHaveLength(100_000);
    expect(problemsOf(parseAddressCsv(csv(...lines)))).toEqual([{ line: 100_002, column: null, rule: 'a file holds at most 100,000 addresses' }]);
  }, 60_000);

  it('refuses a UTF-8 file with a BOM that holds bytes not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n`), encode(`${line()}\n`, 'windows-1252')]);
    expect(problemsOf(parseAddressCsv(bytes))).toEqual([{ line: 2, column: null, rule: 'the file is not valid UTF-8 text, though it starts as such' }]);
  });
});

describe('subscriber list', () => {
  const parse = (text: string) => parseSubscriberCsv(Buffer.from(text));

  it('reads e-mail and optional name, lower-casing the domain only', () => {
    const result = parse('e-mail;naam\nAnna.Jansen@Example.ORG;Anna Jansen\npiet@example.net;\n');
    expect(result).toEqual({
      ok: true,
      rows: [
        { email: 'Anna.Jansen@example.org', name: 'Anna Jansen', address: null },
        { email: 'piet@example.net', name: null, address: null },
      ],
    });
  });

  it('reads a file with only the e-mail column', () => {
    expect(parse('email\npiet@example.net\n')).toEqual({ ok: true, rows: [{ email: 'piet@example.net', name: null, address: null }] });
  });

  it('reads an address given in full, and none', () => {
    const result = parse(
      'e-mail;naam;straat;huisnummer;toevoeging;postcode;woonplaats\n' +
        'a@example.org;A;Kreëlstraat;12;b;3071ab;Rotterdam\n' +
        'b@example.org;B;;;;;\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.rows[0].address).toEqual({ street: 'Kreëlstraat', houseNumber: 12, addition: 'B', postcode: '3071 AB', city: 'Rotterdam' });
    expect(result.rows[1].address).toBeNull();
  });

  it('refuses a half-given address and a bad postcode, without values', () => {
    const result = parse(
      'e-mail;naam;straat;huisnummer;toevoeging;postcode;woonplaats\n' +
        'a@example.org;A;Geheimstraat;12;;;Rotterdam\n' +
        'b@example.org;B;Kreëlstraat;12;;9999 SS;Rotterdam\n',
    );
    expect(problemsOf(result)).toEqual([
      { line: 2, column: null, rule: 'an address is given in full (straat, huisnummer, postcode, woonplaats) or not at all' },
      { line: 3, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' },
    ]);
    expectNoneOf(result, ['Geheim', '9999']);
  });

  it('refuses address columns that are not all in the header', () => {
    expect(problemsOf(parse('e-mail;straat;postcode\na@example.org;Kreëlstraat;3071 AB\n'))).toEqual([
      { line: 1, column: 'huisnummer', rule: expect.stringContaining('come all together or not at all') },
      { line: 1, column: 'woonplaats', rule: expect.stringContaining('come all together or not at all') },
    ]);
  });

  it('refuses the same e-mail address twice, whatever its case', () => {
    expect(problemsOf(parse('e-mail\nanna@example.org\nAnna@Example.org\n'))).toEqual([
      { line: 3, column: 'e-mail', rule: 'the same e-mail address as line 2' },
    ]);
  });

  it('refuses a missing e-mail column and a line without e-mail', () => {
    expect(problemsOf(parse('naam\nAnna\n'))).toEqual([{ line: 1, column: 'e-mail', rule: 'the column is missing' }]);
    expect(problemsOf(parse('e-mail;naam\n;Anna\n'))).toEqual([{ line: 2, column: 'e-mail', rule: 'is required' }]);
  });

  it.each([
    'geen-adres',
    'a@@example.org',
    'a@b@example.org',
    '@example.org',
    'a@',
    'a@example',
    'a@-example.org',
    'a@example..org',
    'a b@example.org',
    'a..b@example.org',
    'a@exa_mple.org',
    'a@example.o',
    'a@example.123',
    `${'x'.repeat(65)}@example.org`,
    `a@${'d'.repeat(250)}.org`,
    'a\u0000b@example.org',
    'a@example.org\u0007',
  ])('refuses e-mail %j', (email) => {
    const result = parseSubscriberCsv(Buffer.from(`e-mail\n${quoted(email)}\n`));
    expect(problemsOf(result)).toEqual([{ line: 2, column: 'e-mail', rule: expect.any(String) }]);
    expectNoneOf(result, [email.slice(0, 8)]);
  });

  it.each(['a@example.org', "o'brien+nieuws@sub.example.co.uk", 'A.B@EXAMPLE.ORG'])('accepts e-mail %j', (email) => {
    expect(emailAddress(email).ok).toBe(true);
  });
});
