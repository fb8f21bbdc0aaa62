import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'iconv-lite';
import { CLIENT_CSV_COLUMNS, ClientCsvColumn } from '../../src/clients/import/client-csv-columns';
import {
  ClientCsvResult,
  ClientRow,
  MAX_CLIENTS_PER_FILE,
  parseClientCsv,
  RowProblem,
} from '../../src/clients/import/client-csv';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/client-csv', name));

const HEADER = CLIENT_CSV_COLUMNS.join(';');
const TODAY = new Date('2025-06-15T10:00:00Z');

type Cells = Partial<Record<ClientCsvColumn, string>>;

/** A client every rule accepts; tests change one cell at a time. */
const GOOD: Record<ClientCsvColumn, string> = {
  clientnummer: 'K-1',
  voornaam: 'Anna',
  achternaam: 'de Vries',
  geboortedatum: '03-07-1948',
  straat: 'Kerkstraat',
  huisnummer: '12a',
  postcode: '3511 AB',
  woonplaats: 'Utrecht',
  telefoon: '',
  'e-mail': '',
  doelgroep: 'ouderen',
  toelichting: '',
};

/** A cell as Excel writes it: quoted when it holds a separator, a quote or a line break. */
const quoted = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const clientLine = (changes: Cells = {}) => CLIENT_CSV_COLUMNS.map((column) => quoted(changes[column] ?? GOOD[column])).join(';');
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n');
const parse = (bytes: Buffer) => parseClientCsv(bytes, { today: TODAY });

function rowsOf(result: ClientCsvResult): ClientRow[] {
  if (!result.ok) throw new Error(`expected the file to be accepted, got ${JSON.stringify(result.problems)}`);
  return result.rows;
}

function problemsOf(result: ClientCsvResult): RowProblem[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}

/** A cell as a test title shows it: long ones by their length. */
const shown = (cell: string) => (cell.length > 30 ? `${cell.length} characters` : JSON.stringify(cell));

/** Nothing a person wrote in a cell comes back in a refusal. */
function expectNoneOf(result: ClientCsvResult, values: string[]) {
  const json = JSON.stringify(result);
  for (const value of values) expect(json).not.toContain(value);
}

describe('parseClientCsv', () => {
  describe('files as Excel saves them', () => {
    it('reads a UTF-8 file with BOM and CRLF, with notes quoted and spanning lines', () => {
      const rows = rowsOf(parse(fixture('good-utf8-bom.csv')));

      expect(rows.map((row) => [row.line, row.clientNumber, row.targetGroup])).toEqual([
        [2, 'K-1001', 'ouderen'],
        [3, 'K-1002', 'jeugd'],
        [4, 'K-1003', 'kwetsbare-bewoners'],
        [6, 'K-1004', 'overig'],
      ]);
      expect(rows[0].personal).toEqual({
        firstName: 'Anna',
        lastName: 'de Vries',
        birthDate: '1948-07-03',
        street: 'Kerkstraat',
        houseNumber: '12a',
        postcode: '3511 AB',
        city: 'Utrecht',
        phone: '030-1234567',
        email: 'anna@example.nl',
        note: 'Hoort slecht; graag "luid" spreken',
      });
      expect(rows[1].personal).toMatchObject({ firstName: 'Noël', birthDate: '2009-11-30', houseNumber: '4-2', postcode: '2712 AB' });
      expect(rows[1].personal).toMatchObject({ phone: null, email: null, note: null });
      expect(rows[2].personal).toMatchObject({
        birthDate: '1990-02-01',
        houseNumber: '7 bis',
        phone: '+31 (0)6 12345678',
        note: 'Eerste regel\ntweede regel',
      });
    });

    it('reads a Windows-1252 file (Excel\'s plain "CSV") and its header `email`', () => {
      const rows = rowsOf(parse(fixture('good-windows-1252.csv')));

      expect(rows.map((row) => row.line)).toEqual([2, 3]);
      expect(rows[0].personal).toMatchObject({ firstName: 'Noël', lastName: 'Hoëvenaar', note: 'Cliënt wil eerst gebeld worden' });
      expect(rows[1].personal).toMatchObject({
        firstName: 'Zoë',
        city: "'s-Hertogenbosch",
        note: 'Cliënt: moeder € 50 schuld; "zie dossier"',
      });
    });

    it('reads the same text alike in UTF-8 without BOM, UTF-8 with BOM and Windows-1252', () => {
      const text = [HEADER, clientLine({ woonplaats: 'Cliënt-dorp', toelichting: 'Cliënt € ü' })].join('\r\n');
      const results = [Buffer.from(text), Buffer.from(`\uFEFF${text}`), encode(text, 'windows-1252')].map(parse);

      for (const result of results) expect(rowsOf(result)[0].personal).toMatchObject({ city: 'Cliënt-dorp', note: 'Cliënt € ü' });
    });

    it('reads LF line ends and a last line without one', () => {
      const rows = rowsOf(parse(Buffer.from([HEADER, clientLine({ clientnummer: 'A' }), clientLine({ clientnummer: 'B' })].join('\n'))));

      expect(rows.map((row) => [row.line, row.clientNumber])).toEqual([
        [2, 'A'],
        [3, 'B'],
      ]);
    });

    it('skips empty lines, also lines of only separators, and still counts them as lines', () => {
      const bytes = csv('', clientLine({ clientnummer: 'A' }), ';;;;;;;;;;;', '   ;  ', clientLine({ clientnummer: 'B' }), '');

      expect(rowsOf(parse(bytes)).map((row) => [row.line, row.clientNumber])).toEqual([
        [3, 'A'],
        [6, 'B'],
      ]);
    });

    it('numbers a problem by the line where its record starts, after notes spanning lines', () => {
      const bytes = csv(
        clientLine({ clientnummer: 'A', toelichting: 'een\r\ntwee\r\ndrie' }),
        clientLine({ clientnummer: 'B', toelichting: 'vier\nvijf', postcode: 'fout' }),
        clientLine({ clientnummer: 'C', postcode: 'fout' }),
      );

      expect(problemsOf(parse(bytes))).toEqual([
        { line: 5, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' },
        { line: 7, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' },
      ]);
    });

    it('trims cells, non-breaking spaces included', () => {
      const rows = rowsOf(parse(csv(clientLine({ voornaam: '  Anna\u00a0', postcode: ' 3511ab ', doelgroep: ' Jeugd ' }))));

      expect(rows[0]).toMatchObject({ targetGroup: 'jeugd', personal: { firstName: 'Anna', postcode: '3511 AB' } });
    });
  });

  describe('the separator', () => {
    it('refuses a comma-separated file with one problem', () => {
      expect(parse(fixture('comma-separated.csv'))).toEqual({
        ok: false,
        problems: [{ line: 1, column: null, rule: 'the separator must be a semicolon (;), as Dutch Excel writes it' }],
        problemCount: 1,
      });
    });

    it('refuses a tab-separated file with one problem', () => {
      const bytes = Buffer.from(`${CLIENT_CSV_COLUMNS.join('\t')}\n${CLIENT_CSV_COLUMNS.map((column) => GOOD[column]).join('\t')}\n`);

      expect(problemsOf(parse(bytes))).toEqual([
        { line: 1, column: null, rule: 'the separator must be a semicolon (;), as Dutch Excel writes it' },
      ]);
    });
  });

  describe('the header', () => {
    it('accepts the columns in any order, in any case, with spaces around', () => {
      const columns = [...CLIENT_CSV_COLUMNS].reverse();
      const header = columns.map((column) => ` ${column.toUpperCase()} `).join(';');
      const line = columns.map((column) => quoted(GOOD[column])).join(';');

      const rows = rowsOf(parse(Buffer.from(`${header}\r\n${line}\r\n`)));

      expect(rows[0]).toMatchObject({ clientNumber: 'K-1', personal: { firstName: 'Anna', postcode: '3511 AB' } });
    });

    it('names a missing column', () => {
      expect(problemsOf(parse(fixture('missing-column.csv')))).toEqual([
        { line: 1, column: 'geboortedatum', rule: 'the column is missing' },
      ]);
    });

    it('names an extra column, without repeating its values', () => {
      const result = parse(fixture('extra-column.csv'));

      expect(problemsOf(result)).toEqual([
        {
          line: 1,
          column: 'BSN',
          rule: 'the column is not part of the client list; remove it (only what the handover needs is kept)',
        },
      ]);
      expectNoneOf(result, ['123456782']);
    });

    it('shows an unknown header without control characters and at most 40 characters long', () => {
      const unknown = `\u001b[31m${'x'.repeat(30)}\u0000${'y'.repeat(30)}`;
      const bytes = Buffer.from(`${HEADER};${unknown}\r\n${clientLine()};\r\n`);

      expect(problemsOf(parse(bytes))).toEqual([{ line: 1, column: `[31m${'x'.repeat(30)}${'y'.repeat(6)}`, rule: expect.any(String) }]);
    });

    it('refuses a column named twice, `email` and `e-mail` being one', () => {
      const bytes = Buffer.from(`${HEADER};Email;Voornaam\r\n${clientLine()};a@example.nl;Anna\r\n`);

      expect(problemsOf(parse(bytes))).toEqual([
        { line: 1, column: 'voornaam', rule: 'the column appears more than once' },
        { line: 1, column: 'e-mail', rule: 'the column appears more than once' },
      ]);
    });

    it('refuses a first line that names no column with one problem, not repeating its cells', () => {
      const result = parse(Buffer.from(`${clientLine({ voornaam: 'Geheimnaam' })}\r\n${clientLine()}\r\n`));

      expect(problemsOf(result)).toEqual([{ line: 1, column: null, rule: `the first line must be the header: ${HEADER}` }]);
      expectNoneOf(result, ['Geheimnaam', 'Kerkstraat']);
    });

    it('refuses the header repeated further down', () => {
      expect(problemsOf(parse(csv(clientLine({ clientnummer: 'A' }), HEADER.toUpperCase(), clientLine({ clientnummer: 'B' }))))).toEqual([
        { line: 3, column: null, rule: 'the line repeats the header; remove it' },
      ]);
    });

    it('ignores a column without header while it is empty, as Excel leaves one after a cell was cleared', () => {
      const bytes = Buffer.from(`${HEADER};\r\n${clientLine()};\r\n${clientLine({ clientnummer: 'K-2' })};\r\n`);

      expect(rowsOf(parse(bytes))).toHaveLength(2);
    });

    it('refuses a column without header that holds values', () => {
      const result = parse(Buffer.from(`${HEADER};\r\n${clientLine()};\r\n${clientLine({ clientnummer: 'K-2' })};Geheim\r\n`));

      expect(problemsOf(result)).toEqual([
        {
          line: 1,
          column: null,
          rule: 'column 13 has no header but holds values; remove it (only what the handover needs is kept)',
        },
      ]);
      expectNoneOf(result, ['Geheim']);
    });
  });

  describe('a file without clients', () => {
    const NO_CLIENTS = { line: 1, column: null, rule: 'the file holds no clients' };

    it.each([
      ['an empty file', Buffer.alloc(0)],
      ['a file of only a BOM', Buffer.from('\uFEFF')],
      ['a file of empty lines', Buffer.from('\r\n\r\n  \r\n')],
      ['only a header', Buffer.from(`${HEADER}\r\n`)],
      ['a header and empty lines', Buffer.from(`\uFEFF${HEADER}\r\n\r\n;;;;;;;;;;;\r\n`)],
    ])('refuses %s', (_case, bytes) => {
      expect(parse(bytes)).toEqual({ ok: false, problems: [NO_CLIENTS], problemCount: 1 });
    });
  });

  describe('lines', () => {
    it('refuses a line with more or fewer cells than the header, and reads the other lines', () => {
      expect(problemsOf(parse(fixture('extra-cell.csv')))).toEqual([
        { line: 3, column: null, rule: 'the line has 13 cells; the header has 12' },
        { line: 4, column: null, rule: 'the line has 11 cells; the header has 12' },
      ]);
    });

    it('refuses a client number used before, on the later line', () => {
      expect(problemsOf(parse(fixture('duplicate-client-numbers.csv')))).toEqual([
        { line: 4, column: 'clientnummer', rule: 'the same client number as line 2' },
      ]);
    });

    it('reports a quote never closed at the line where it opens, after the lines before it', () => {
      const unclosed = `"${clientLine({ clientnummer: 'K-2' })}`;
      const result = parse(csv(clientLine({ postcode: 'fout' }), unclosed, clientLine({ clientnummer: 'K-3' })));

      expect(problemsOf(result)).toEqual([
        { line: 2, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' },
        { line: 3, column: null, rule: 'a quote (") opens a cell but nothing closes it' },
      ]);
    });

    it('takes a quote inside an unquoted cell as text, as Excel means it', () => {
      const line = clientLine({ huisnummer: '12', toelichting: '' }).replace(';12;', ';12 "bis";');

      expect(problemsOf(parse(csv(`${line}Zegt "ja"`)))).toEqual([
        { line: 2, column: 'huisnummer', rule: 'is not a house number: 1 to 99999, perhaps followed by a letter or addition' },
      ]);
      expect(rowsOf(parse(csv(`${clientLine()}Zegt "ja"`)))[0].personal.note).toBe('Zegt "ja"');
    });

    it('orders problems by line, then by column', () => {
      const bytes = csv(
        clientLine({ clientnummer: 'A', doelgroep: 'x', postcode: 'x', voornaam: '' }),
        'te;weinig',
        clientLine({ clientnummer: 'B', huisnummer: 'x' }),
      );

      expect(problemsOf(parse(bytes)).map((problem) => [problem.line, problem.column])).toEqual([
        [2, 'voornaam'],
        [2, 'postcode'],
        [2, 'doelgroep'],
        [3, null],
        [4, 'huisnummer'],
      ]);
    });

    it('lists the first 200 problems and counts them all', () => {
      const lines = Array.from({ length: 300 }, (_, index) => clientLine({ clientnummer: `K-${index}`, postcode: 'fout' }));
      const result = parse(csv(...lines));

      if (result.ok) throw new Error('expected the file to be refused');
      expect(result.problemCount).toBe(300);
      expect(result.problems).toHaveLength(200);
      expect(result.problems.at(-1)).toEqual({ line: 201, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' });
    });
  });

  describe('the number of clients', () => {
    const clients = (count: number) => Array.from({ length: count }, (_, index) => clientLine({ clientnummer: `K-${index + 1}` }));

    it(`accepts ${MAX_CLIENTS_PER_FILE.toLocaleString('en')} clients`, () => {
      const rows = rowsOf(parse(csv(...clients(MAX_CLIENTS_PER_FILE))));

      expect(rows).toHaveLength(MAX_CLIENTS_PER_FILE);
      expect(rows.at(-1)).toMatchObject({ line: MAX_CLIENTS_PER_FILE + 1, clientNumber: `K-${MAX_CLIENTS_PER_FILE}` });
    });

    it(`counts every problem of ${MAX_CLIENTS_PER_FILE.toLocaleString('en')} clients with every cell wrong`, () => {
      const wrong = clientLine({
        clientnummer: 'K#1',
        voornaam: '',
        achternaam: '',
        geboortedatum: 'x',
        straat: '',
        huisnummer: 'x',
        postcode: 'x',
        woonplaats: '',
        telefoon: 'x',
        'e-mail': 'x',
        doelgroep: 'x',
        toelichting: '\u0001',
      });
      const result = parse(csv(...Array.from({ length: MAX_CLIENTS_PER_FILE }, () => wrong)));

      if (result.ok) throw new Error('expected the file to be refused');
      expect(result.problemCount).toBe(MAX_CLIENTS_PER_FILE * CLIENT_CSV_COLUMNS.length);
      expect(result.problems).toHaveLength(200);
    });

    it('refuses one more, at its line, without reading further', () => {
      const lines = [...clients(MAX_CLIENTS_PER_FILE + 1), clientLine({ clientnummer: 'K-1', postcode: 'fout' }), '"not closed'];

      expect(parse(csv(...lines))).toEqual({
        ok: false,
        problems: [{ line: MAX_CLIENTS_PER_FILE + 2, column: null, rule: 'a file holds at most 10,000 clients' }],
        problemCount: 1,
      });
    });
  });

  describe('characters', () => {
    it('refuses a NUL byte in a name', () => {
      const result = parse(fixture('nul-in-name.csv'));

      expect(problemsOf(result)).toEqual([{ line: 3, column: 'voornaam', rule: 'holds a control character' }]);
      expectNoneOf(result, ['Pi\u0000et', 'Pi', 'et"']);
    });

    it.each([
      ['ESC', 'straat', 'Kerk\u001bstraat'],
      ['DEL', 'woonplaats', 'Utr\u007fecht'],
      ['a C1 control (NEL)', 'achternaam', 'de\u0085Vries'],
      ['a vertical tab', 'toelichting', 'een\u000btwee'],
      ['NUL', 'toelichting', 'een\u0000twee'],
    ] as const)('refuses %s, in any column', (_case, column, cell) => {
      expect(problemsOf(parse(csv(clientLine({ [column]: cell }))))).toEqual([{ line: 2, column, rule: 'holds a control character' }]);
    });

    it('refuses a line break in any column but toelichting', () => {
      expect(problemsOf(parse(csv(clientLine({ straat: 'Kerk\r\nstraat' }))))).toEqual([
        { line: 2, column: 'straat', rule: 'holds a line break; only toelichting may' },
      ]);
    });

    it('keeps a tab and line breaks in toelichting, line breaks as LF', () => {
      expect(rowsOf(parse(csv(clientLine({ toelichting: 'a\tb\r\nc\rd' }))))[0].personal.note).toBe('a\tb\nc\nd');
    });

    it('refuses a byte Windows-1252 does not define, as the file is then in another encoding', () => {
      const bytes = Buffer.from(`${HEADER}\r\n${clientLine({ voornaam: 'An\u0081na' })}\r\n`, 'latin1');

      expect(problemsOf(parse(bytes))).toEqual([
        { line: 2, column: 'voornaam', rule: 'holds a character that cannot be read; save the file as "CSV UTF-8"' },
      ]);
    });

    it('refuses a file that starts as UTF-8 (BOM) but is not, at the line of the first wrong byte', () => {
      const bytes = Buffer.concat([Buffer.from(`\uFEFF${HEADER}\r\n${clientLine()}\r\n${clientLine({ voornaam: 'Zo' })}`), Buffer.from([0xeb])]);

      expect(problemsOf(parse(bytes))).toEqual([
        { line: 3, column: null, rule: 'the file is not valid UTF-8 text, though it starts as such' },
      ]);
    });
  });

  describe('formula-looking cells', () => {
    it('keeps a formula in toelichting as text', () => {
      expect(rowsOf(parse(fixture('formula-note.csv')))[0].personal.note).toBe('=HYPERLINK("http://x";"y")');
    });

    it.each([
      ['toelichting', '@SUM(A1:A2)', (row: ClientRow) => row.personal.note],
      ['toelichting', '-2+3', (row: ClientRow) => row.personal.note],
      ['achternaam', '=1+1', (row: ClientRow) => row.personal.lastName],
      ['telefoon', '+31 6 12345678', (row: ClientRow) => row.personal.phone],
    ] as const)('keeps %s %s as typed', (column, cell, valueOf) => {
      expect(valueOf(rowsOf(parse(csv(clientLine({ [column]: cell }))))[0])).toBe(cell);
    });

    it('refuses one only where the column\'s own rule does', () => {
      expect(problemsOf(parse(csv(clientLine({ clientnummer: '=1+1' }))))).toEqual([
        { line: 2, column: 'clientnummer', rule: 'may hold only letters, digits and . _ / -' },
      ]);
    });
  });

  describe('bad values', () => {
    const result = () => parse(fixture('bad-values.csv'));

    it.each([
      [2, 'postcode', 'is not a Dutch postcode (1234 AB)', '0123 XY'],
      [3, 'geboortedatum', 'is not a date that exists', '31-02-1980'],
      [4, 'geboortedatum', 'lies after today', '01-01-9999'],
      [5, 'doelgroep', 'is not one of: jeugd, ouderen, kwetsbare bewoners, overig', 'volwassenen'],
    ])('line %i: %s %s, without the value', (line, column, rule, value) => {
      expect(problemsOf(result())).toContainEqual({ line, column, rule });
      expectNoneOf(result(), [value]);
    });

    it('are the only problems of the file', () => {
      expect(problemsOf(result())).toHaveLength(4);
    });

    it('with the real date as today', () => {
      expect(problemsOf(parseClientCsv(fixture('bad-values.csv')))).toContainEqual({
        line: 4,
        column: 'geboortedatum',
        rule: 'lies after today',
      });
    });

    it('never come back, whichever the column', () => {
      const bad: Record<ClientCsvColumn, string> = {
        clientnummer: 'GEHEIM#nummer',
        voornaam: 'V'.repeat(101),
        achternaam: 'A'.repeat(101),
        geboortedatum: '31-13-1977',
        straat: 'S'.repeat(101),
        huisnummer: 'nummer-geheim',
        postcode: '9999 SS',
        woonplaats: 'W'.repeat(81),
        telefoon: '06-geheim',
        'e-mail': 'geheim@',
        doelgroep: 'geheime-groep',
        toelichting: 'T'.repeat(1001),
      };
      const result = parse(csv(clientLine(bad)));

      expect(problemsOf(result).map((problem) => problem.column)).toEqual([...CLIENT_CSV_COLUMNS]);
      expectNoneOf(result, [...Object.values(bad), 'VV', 'AA', 'SS', 'WW', 'TT']);
    });
  });

  describe('the rule of each column', () => {
    const VALUE_OF: Record<ClientCsvColumn, (row: ClientRow) => unknown> = {
      clientnummer: (row) => row.clientNumber,
      voornaam: (row) => row.personal.firstName,
      achternaam: (row) => row.personal.lastName,
      geboortedatum: (row) => row.personal.birthDate,
      straat: (row) => row.personal.street,
      huisnummer: (row) => row.personal.houseNumber,
      postcode: (row) => row.personal.postcode,
      woonplaats: (row) => row.personal.city,
      telefoon: (row) => row.personal.phone,
      'e-mail': (row) => row.personal.email,
      doelgroep: (row) => row.targetGroup,
      toelichting: (row) => row.personal.note,
    };
    const REQUIRED = 'is required';
    const tooLong = (max: number) => `is longer than ${max} characters`;

    const accepted: Array<[ClientCsvColumn, string, unknown]> = [
      ['clientnummer', 'A.b_c/1-2', 'A.b_c/1-2'],
      ['clientnummer', 'X'.repeat(40), 'X'.repeat(40)],
      ['voornaam', 'V'.repeat(100), 'V'.repeat(100)],
      ['voornaam', '👍'.repeat(100), '👍'.repeat(100)],
      ['geboortedatum', '3-7-1948', '1948-07-03'],
      ['geboortedatum', '03-07-1948', '1948-07-03'],
      ['geboortedatum', '3/7/1948', '1948-07-03'],
      ['geboortedatum', '03/07/1948', '1948-07-03'],
      ['geboortedatum', '1948-07-03', '1948-07-03'],
      ['geboortedatum', '29-02-2024', '2024-02-29'],
      ['geboortedatum', '01-01-1900', '1900-01-01'],
      ['geboortedatum', '15-06-2025', '2025-06-15'],
      ['huisnummer', '1', '1'],
      ['huisnummer', '99999', '99999'],
      ['huisnummer', '12A', '12A'],
      ['huisnummer', '12-3', '12-3'],
      ['huisnummer', '12 bis', '12 bis'],
      ['huisnummer', '12a-1', '12a-1'],
      ['huisnummer', '12 hs', '12 hs'],
      ['huisnummer', '12/2', '12/2'],
      ['postcode', '1234AB', '1234 AB'],
      ['postcode', '1234 ab', '1234 AB'],
      ['postcode', '9999 sz', '9999 SZ'],
      ['woonplaats', 'W'.repeat(80), 'W'.repeat(80)],
      ['telefoon', '', null],
      ['telefoon', '0612345678', '0612345678'],
      ['telefoon', '(030) 123 45 67', '(030) 123 45 67'],
      ['telefoon', '+31 (0)30-1234567', '+31 (0)30-1234567'],
      ['telefoon', '+49 30 1234 5678 901', '+49 30 1234 5678 901'],
      ['e-mail', '', null],
      ['e-mail', 'a.b+c@example.nl', 'a.b+c@example.nl'],
      ['doelgroep', 'Jeugd', 'jeugd'],
      ['doelgroep', 'OUDEREN', 'ouderen'],
      ['doelgroep', 'kwetsbare bewoners', 'kwetsbare-bewoners'],
      ['doelgroep', 'Kwetsbare-Bewoners', 'kwetsbare-bewoners'],
      ['doelgroep', 'overig', 'overig'],
      ['toelichting', '', null],
      ['toelichting', 'T'.repeat(1000), 'T'.repeat(1000)],
    ];

    it.each(accepted.map(([column, cell, value]) => [column, shown(cell), cell, value] as const))('%s accepts %s', (column, _shown, cell, value) => {
      expect(VALUE_OF[column](rowsOf(parse(csv(clientLine({ [column]: cell }))))[0])).toEqual(value);
    });

    const refused: Array<[ClientCsvColumn, string, string]> = [
      ['clientnummer', '', REQUIRED],
      ['clientnummer', 'X'.repeat(41), tooLong(40)],
      ['clientnummer', 'K 1', 'may hold only letters, digits and . _ / -'],
      ['clientnummer', 'K#1', 'may hold only letters, digits and . _ / -'],
      ['clientnummer', 'Klïent', 'may hold only letters, digits and . _ / -'],
      ['voornaam', '', REQUIRED],
      ['voornaam', '   ', REQUIRED],
      ['voornaam', 'V'.repeat(101), tooLong(100)],
      ['achternaam', '', REQUIRED],
      ['achternaam', 'A'.repeat(101), tooLong(100)],
      ['geboortedatum', '', REQUIRED],
      ['geboortedatum', '03.07.1948', 'is not a date written as dd-mm-jjjj or jjjj-mm-dd'],
      ['geboortedatum', '3-7/1948', 'is not a date written as dd-mm-jjjj or jjjj-mm-dd'],
      ['geboortedatum', '1948-7-3', 'is not a date written as dd-mm-jjjj or jjjj-mm-dd'],
      ['geboortedatum', '03-07-48', 'is not a date written as dd-mm-jjjj or jjjj-mm-dd'],
      ['geboortedatum', '3 juli 1948', 'is not a date written as dd-mm-jjjj or jjjj-mm-dd'],
      ['geboortedatum', '31-02-1980', 'is not a date that exists'],
      ['geboortedatum', '29-02-2023', 'is not a date that exists'],
      ['geboortedatum', '00-01-1980', 'is not a date that exists'],
      ['geboortedatum', '01-13-1980', 'is not a date that exists'],
      ['geboortedatum', '1980-04-31', 'is not a date that exists'],
      ['geboortedatum', '16-06-2025', 'lies after today'],
      ['geboortedatum', '9999-01-01', 'lies after today'],
      ['geboortedatum', '31-12-1899', 'lies before 1900'],
      ['straat', '', REQUIRED],
      ['straat', 'S'.repeat(101), tooLong(100)],
      ['huisnummer', '', REQUIRED],
      ['huisnummer', '1'.repeat(21), tooLong(20)],
      ['huisnummer', '0', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['huisnummer', '012', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['huisnummer', '100000', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['huisnummer', 'a12', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['huisnummer', '12--3', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['huisnummer', '12 bis!', 'is not a house number: 1 to 99999, perhaps followed by a letter or addition'],
      ['postcode', '', REQUIRED],
      ['postcode', '0123 AB', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '123 AB', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '12345 AB', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234  AB', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234 A1', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234-AB', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234 SA', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234 sd', 'is not a Dutch postcode (1234 AB)'],
      ['postcode', '1234SS', 'is not a Dutch postcode (1234 AB)'],
      ['woonplaats', '', REQUIRED],
      ['woonplaats', 'W'.repeat(81), tooLong(80)],
      ['telefoon', '612345678', 'is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides'],
      ['telefoon', '+31 6 1234 5678 90123', 'is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides'],
      ['telefoon', '06.12345678', 'is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides'],
      ['telefoon', '06-1234567x', 'is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides'],
      ['telefoon', '06+12345678', 'is not a phone number: 10 to 15 digits, with only +, spaces, hyphens and brackets besides'],
      ['telefoon', `06 ${' -'.repeat(14)}12345678`, tooLong(30)],
      ['e-mail', 'geen-adres', 'is not an e-mail address'],
      ['e-mail', 'a@', 'is not an e-mail address'],
      ['e-mail', 'a b@example.nl', 'is not an e-mail address'],
      ['e-mail', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.nl`, tooLong(254)],
      ['doelgroep', '', REQUIRED],
      ['doelgroep', 'volwassenen', 'is not one of: jeugd, ouderen, kwetsbare bewoners, overig'],
      ['doelgroep', 'kwetsbarebewoners', 'is not one of: jeugd, ouderen, kwetsbare bewoners, overig'],
      ['toelichting', 'T'.repeat(1001), tooLong(1000)],
    ];

    it.each(refused.map(([column, cell, rule]) => [column, shown(cell), rule, cell] as const))('%s refuses %s: %s', (column, _shown, rule, cell) => {
      const result = parse(csv(clientLine({ [column]: cell })));

      expect(problemsOf(result)).toEqual([{ line: 2, column, rule }]);
      if (cell.trim() !== '') expectNoneOf(result, [cell.trim()]);
    });
  });
});
