import { CLIENT_CSV_COLUMNS } from '../../src/clients/import/client-csv-columns';

const TARGET_GROUPS = ['jeugd', 'ouderen', 'kwetsbare bewoners', 'overig'];
const POSTCODE_LETTERS = ['AB', 'BC', 'CD', 'EG', 'HK', 'LM', 'NP', 'RT'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A client list of `count` made-up clients as Dutch Excel saves it (`;`, CRLF, dates dd-mm-jjjj),
 * every row valid: unique client numbers, the four target groups in turn.
 */
export function clientListCsv(count: number): Buffer {
  const lines = [CLIENT_CSV_COLUMNS.join(';')];
  for (let i = 0; i < count; i++) {
    lines.push(
      [
        `BENCH-${i + 1}`,
        'Client',
        `Bench ${i + 1}`,
        `${pad(1 + (i % 28))}-${pad(1 + (i % 12))}-${1930 + (i % 80)}`,
        'Kerkstraat',
        String(1 + (i % 250)),
        `${3000 + (i % 1000)} ${POSTCODE_LETTERS[i % POSTCODE_LETTERS.length]}`,
        'Rotterdam',
        '',
        '',
        TARGET_GROUPS[i % TARGET_GROUPS.length],
        '',
      ].join(';'),
    );
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** The smallest file package a transfer takes: a PDF of one empty page. */
export const SMALL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
