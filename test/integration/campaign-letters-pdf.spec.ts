import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { projectPath } from '../../src/config/paths';
import { CampaignMessageFields, LetterAddressee } from '../../src/campaigns/campaign-message';
import { LETTERS_PER_BATCH } from '../../src/campaigns/campaign-recipient';
import { campaignPreview } from '../../src/campaigns/letters/campaign-preview';
import { letterManifestCsv } from '../../src/campaigns/letters/letter-manifest';
import {
  ENVELOPE_WINDOW_MM,
  renderLetterBatch,
  renderLetterBatchWithLayout,
  RenderedLetterBatch,
  sortForPrint,
  WINDOW_KEEP_OUT_MM,
} from '../../src/campaigns/letters/letter-pdf';
import { addressBlockLines, printable } from '../../src/campaigns/letters/letter-template';
import { SAMPLE_ADDRESSEE, SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';
import { mergeFieldValues } from '../support/campaign-fields';
import { flat, pdfFonts, pdfPageCount, pdfTextInRect, poppler } from '../support/poppler';

/** Git-ignored: the rendered files stay for a person to look at. */
const OUTPUT = projectPath('test-output/letters');
const CREATED_AT = new Date('2022-04-14T08:30:00Z');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The sample message with every Dutch character the letters must survive. */
const DUTCH: CampaignMessageFields = {
  ...structuredClone(SAMPLE_MESSAGE_FIELDS),
  district: '\u0132sselmonde', // the ligature ĳ, printed as "IJ"
  whatChanges: [
    'Er komt een nieuwe coördinator voor de reünie van vrijwilligers.',
    'Het café in het buurthuis krijgt andere openingstijden.',
    'Uw ideeën over de buurt zijn welkom bij de nieuwe medewerkers.',
  ],
  whatStays: ['De hulp is gratis, ook voor cliënten die nu al hulp krijgen.', 'Niemand hoeft naïef te zijn over de overstap: wij helpen u.'],
};

const STREETS = ['Beijerlandselaan', 'Coöperatiestraat', '\u0132sselmondselaan', 'Café de Vriesplein', 'Reünieweg', 'Noëlstraat', 'Naïvelaan'];

/** 1,000 fictional addressees: every tenth a client with a personal letter. */
function thousandAddressees(): LetterAddressee[] {
  return Array.from({ length: LETTERS_PER_BATCH }, (_, i) => {
    const street = STREETS[i % STREETS.length];
    const houseNumber = 1 + ((i * 7) % 240);
    const addition = i % 5 === 0 ? String.fromCharCode(65 + (i % 4)) : '';
    const postcode = `30${String(70 + (i % 30)).padStart(2, '0')} ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 3) % 26))}`;
    const address = [`${street} ${houseNumber}${addition ? ` ${addition}` : ''}`, `${postcode} Rotterdam`];
    const personal = i % 10 === 9;
    return {
      recipientId: personal ? `client:p${i}` : `address:a${i}`,
      addressLines: personal ? [`Mevrouw A. Çelik-de Wïlde ${i}`, ...address] : address,
      postcode,
      houseNumber,
      addition,
      salutation: personal ? `mevrouw Çelik-de Wïlde ${i}` : '',
    };
  });
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of dark pixels on a page, from a grey-scale rendering (PGM). */
async function inkShare(pdf: string, page: number, out: string): Promise<number> {
  await poppler('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '30', '-gray', '-singlefile', pdf, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark++;
  return dark / pixels.length;
}

beforeAll(() => mkdirSync(OUTPUT, { recursive: true }));

describe('a rendered letter', () => {
  const file = join(OUTPUT, 'letter.pdf');
  let text: string;

  beforeAll(async () => {
    const pdf = await renderLetterBatch(DUTCH, 1, [{ ...SAMPLE_ADDRESSEE, addressLines: ['Reünieweg 12 B', '3074 KD Rotterdam'] }], {
      createdAt: CREATED_AT,
    });
    writeFileSync(file, pdf);
    text = await poppler('pdftotext', [file, '-']);
  });

  it('keeps the Dutch characters', () => {
    for (const word of ['coördinator', 'reünie', 'café', 'ideeën', 'cliënten', 'naïef', 'Öztürk', 'Noël', 'Reünieweg']) {
      expect(text).toContain(word);
    }
    expect(text).toContain('IJsselmonde');
    expect(text).not.toContain('\u0132');
  });

  it('says every merge field, the date of the letter and the opening', () => {
    const flatText = flat(text);
    for (const value of mergeFieldValues(DUTCH)) expect(flatText).toContain(flat(value));
    expect(flatText).toContain('14 april 2022');
    expect(flatText).toContain('Aan de bewoners van Reünieweg 12 B 3074 KD Rotterdam');
    expect(flatText).toContain('Beste bewoner,');
    expect(flatText).toContain('Met vriendelijke groet,');
  });

  it('leaves no placeholder behind', () => {
    expect(text).not.toMatch(/\{\{|\}\}|undefined|null|NaN|\[object/);
  });

  it('carries its title and language', async () => {
    const info = await poppler('pdfinfo', [file]);
    expect(info).toMatch(/^Title:\s+Nieuwe welzijnsorganisatie in IJsselmonde vanaf 1 juni 2022$/m);
    expect(info).toMatch(/^CreationDate:\s+Thu Apr 14 08:30:00 2022 UTC$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(readFileSync(file).toString('latin1')).toContain('/Lang (nl-NL)');
  });

  it('turns its first page into a picture with ink on it', async () => {
    await poppler('pdftoppm', ['-f', '1', '-l', '1', '-r', '100', '-png', '-singlefile', file, join(OUTPUT, 'letter-page-1')]);
    const png = readFileSync(join(OUTPUT, 'letter-page-1.png'));
    expect(statSync(join(OUTPUT, 'letter-page-1.png')).size).toBeGreaterThan(20_000);
    const { width, height } = pngSize(png); // A4 at 100 dpi: 827 × 1169.5
    expect(width).toBe(827);
    expect(Math.abs(height - 1169.5)).toBeLessThanOrEqual(1);
    const ink = await inkShare(file, 1, join(OUTPUT, 'letter-page-1-grey'));
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.25);
  });

  it('opens a personal letter with the name', async () => {
    const personal = join(OUTPUT, 'personal-letter.pdf');
    writeFileSync(
      personal,
      await renderLetterBatch(DUTCH, 1, [
        { ...SAMPLE_ADDRESSEE, recipientId: 'client:x', salutation: 'meneer Aït Taleb', addressLines: ['De heer M. Aït Taleb', 'Reünieweg 3', '3074 KD Rotterdam'] },
      ], { createdAt: CREATED_AT }),
    );
    const personalText = flat(await poppler('pdftotext', [personal, '-']));
    expect(personalText).toContain('Beste meneer Aït Taleb,');
    expect(personalText).not.toContain('Aan de bewoners van');
    const window = flat(await pdfTextInRect(personal, 1, ENVELOPE_WINDOW_MM));
    expect(window).toBe('De heer M. Aït Taleb Reünieweg 3 3074 KD Rotterdam');
  });

  it('keeps a too long address line inside the window: smaller, then cut', async () => {
    const longLine = `Burgemeester van Walsum en Wethouder de Koningh-Nieuwenhuijzenstraat 123 ${'X'.repeat(80)}`;
    const wide = join(OUTPUT, 'wide-address.pdf');
    writeFileSync(
      wide,
      await renderLetterBatch(DUTCH, 1, [{ ...SAMPLE_ADDRESSEE, addressLines: [longLine, '3074 KD Rotterdam'] }], { createdAt: CREATED_AT }),
    );
    const window = flat(await pdfTextInRect(wide, 1, ENVELOPE_WINDOW_MM));
    expect(window).toMatch(/^Aan de bewoners van Burgemeester van Walsum .*X… 3074 KD Rotterdam$/);
    expect(flat(await pdfTextInRect(wide, 1, WINDOW_KEEP_OUT_MM))).toBe(window);
  });

  it('runs on to more sheets when the lists are long, every letter a whole number of sheets', async () => {
    const long = {
      ...DUTCH,
      whatChanges: Array.from({ length: 40 }, (_, i) => `Punt ${i + 1}: er verandert iets aan de activiteiten in de buurt.`),
    };
    const two = [SAMPLE_ADDRESSEE, { ...SAMPLE_ADDRESSEE, recipientId: 'address:2' }];
    const batch = await renderLetterBatchWithLayout(long, 1, two, { createdAt: CREATED_AT });
    const longFile = join(OUTPUT, 'long-letter.pdf');
    writeFileSync(longFile, batch.pdf);
    expect(batch.letters[0].pages).toBeGreaterThanOrEqual(4);
    expect(batch.letters[0].pages % 2).toBe(0);
    expect(batch.letters[1].firstPage).toBe(batch.letters[0].pages + 1);
    expect(await pdfPageCount(longFile)).toBe(batch.pageCount);
    const pages = (await poppler('pdftotext', [longFile, '-'])).split('\f');
    expect(pages[batch.letters[1].firstPage - 1]).toContain('Aan de bewoners van');
    expect(flat(pages.join(' '))).toContain('Punt 40: er verandert iets');
  });

  it('gives a preview: a sample letter and the e-mail', async () => {
    const preview = await campaignPreview(DUTCH, 1, { createdAt: CREATED_AT });
    expect(preview.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(preview.email.subject).toBe('Nieuwe welzijnsorganisatie in IJsselmonde vanaf 1 juni 2022');
    expect(preview.email.text).toContain('Beste bewoner,');
  });
});

describe('a batch of 1,000 letters', () => {
  const file = join(OUTPUT, 'batch-1000.pdf');
  let addressees: LetterAddressee[];
  let batch: RenderedLetterBatch;

  beforeAll(async () => {
    addressees = sortForPrint(thousandAddressees());
    batch = await renderLetterBatchWithLayout(DUTCH, 1, addressees, { createdAt: CREATED_AT });
    writeFileSync(file, batch.pdf);
  }, 120_000);

  it('has one sheet (two pages) per letter, every letter starting on a front', async () => {
    expect(await pdfPageCount(file)).toBe(2 * LETTERS_PER_BATCH);
    expect(batch.pageCount).toBe(2 * LETTERS_PER_BATCH);
    batch.letters.forEach((letter, i) => {
      expect(letter).toEqual({ recipientId: addressees[i].recipientId, firstPage: 2 * i + 1, pages: 2 });
    });
    const pages = (await poppler('pdftotext', [file, '-'])).split('\f');
    addressees.forEach((addressee, i) => {
      const first = flat(pages[2 * i]);
      expect(first).toContain(flat(addressBlockLines(addressee).join(' ')));
      expect(first).toContain('Pagina 1 van 2');
      expect(flat(pages[2 * i + 1])).toContain('Pagina 2 van 2');
    });
  });

  it("shows each letter's address, and nothing else, in the envelope window", async () => {
    const personal = addressees.findIndex((addressee) => addressee.salutation !== '');
    const sample = [0, 1, personal, 250, 499, 500, 777, 998, 999];
    for (const i of sample) {
      const page = batch.letters[i].firstPage;
      const expected = flat(addressBlockLines(addressees[i]).join(' '));
      expect(flat(await pdfTextInRect(file, page, ENVELOPE_WINDOW_MM))).toBe(expected);
      // Wherever the folded letter shifts in the envelope, the window shows no other text.
      expect(flat(await pdfTextInRect(file, page, WINDOW_KEEP_OUT_MM))).toBe(expected);
    }
    expect(flat(await pdfTextInRect(file, batch.letters[personal].firstPage, ENVELOPE_WINDOW_MM))).toMatch(/^Mevrouw A\. Çelik-de Wïlde/);
  });

  it('embeds each font once, as a subset', async () => {
    const fonts = await pdfFonts(file);
    expect(fonts).toHaveLength(2);
    expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['LiberationSans', 'LiberationSans-Bold']);
    for (const font of fonts) {
      expect(font.embedded).toBe(true);
      expect(font.subset).toBe(true);
    }
  });

  it('is the same file, byte for byte, for the same input', async () => {
    const again = await renderLetterBatch(DUTCH, 1, addressees, { createdAt: CREATED_AT });
    expect(sha256(again)).toBe(sha256(batch.pdf));
    const otherDay = await renderLetterBatch(DUTCH, 1, addressees.slice(0, 2), { createdAt: new Date('2022-04-15T08:30:00Z') });
    const sameDay = await renderLetterBatch(DUTCH, 1, addressees.slice(0, 2), { createdAt: CREATED_AT });
    expect(sha256(otherDay)).not.toBe(sha256(sameDay));
  }, 120_000);

  it('holds at most LETTERS_PER_BATCH letters', async () => {
    await expect(renderLetterBatch(DUTCH, 1, [...addressees, SAMPLE_ADDRESSEE], { createdAt: CREATED_AT })).rejects.toThrow(
      /at most 1000 letters/,
    );
    await expect(renderLetterBatch(DUTCH, 1, [], { createdAt: CREATED_AT })).rejects.toThrow(/at least one/);
  });

  it('comes with a manifest whose rows match the letters and the file', async () => {
    const csv = letterManifestCsv(3, addressees, batch.letters);
    writeFileSync(join(OUTPUT, 'batch-1000.csv'), csv);
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';' });
    expect(rows).toHaveLength(1 + LETTERS_PER_BATCH);
    let pages = 0;
    rows.slice(1).forEach((row, i) => {
      const addressee = addressees[i];
      expect(row).toEqual([
        '3',
        String(i + 1),
        addressee.recipientId,
        addressee.postcode,
        String(addressee.houseNumber),
        addressee.addition,
        String(2 * i + 1),
        '2',
      ]);
      pages += Number(row[7]);
    });
    expect(pages).toBe(await pdfPageCount(file));
    // Sorted for the post: postcode, then house number.
    const keys = rows.slice(1).map((row) => `${row[3].replace(' ', '')}|${row[4].padStart(5, '0')}|${row[5]}`);
    expect([...keys].sort()).toEqual(keys);
    expect(printable(rows[1][2])).toBe(rows[1][2]);
  });
});
