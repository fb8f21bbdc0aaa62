/**
 * Print-ready A4 letters with pdfkit: one PDF per batch (at most LETTERS_PER_BATCH letters), the
 * two Liberation Sans fonts embedded once per file as subsets.
 *
 * Why pdfkit, measured (test/bench/letters-font-embedding.bench.ts: the sample Feijenoord letter,
 * 2 pages, 1,000 letters, median of 3 runs, Node 20, on a 2-core machine shared with other work,
 * load average ~3.7, so read the ratio more than the absolute numbers):
 *
 *   | how                                              | ms per letter | MB per 1,000 letters |
 *   |--------------------------------------------------|--------------:|---------------------:|
 *   | one batch file, fonts embedded once (this file)  |          3.6  |                  3.2 |
 *   | one file per letter, fonts embedded per file     |         86.9  |                 30.3 |
 *
 * Parsing and subsetting the two TrueType fonts for every file costs ~24× the layout and drawing of
 * the letter itself, and makes the print run ~10× bigger: so batch files of up to 1,000 letters,
 * each font embedded once as a subset. At 3.6 ms a letter a batch of 1,000 takes ~4 s on one core.
 * The issue's own measure put batched Chromium printing at ~5.5 ms a page against pdfkit's ~4 ms;
 * pdfkit also needs no browser process in the worker, places text in absolute millimetres for the
 * window envelope, and gives byte-for-byte reproducible output (fixed CreationDate, file ID derived
 * from the info dictionary, deterministic subset tags), so a batch's SHA-256 proves which file went
 * to print. What Chromium would add, a tagged PDF, a printed letter does not need; the e-mail is the
 * accessible channel.
 *
 * Paper: A4, printed on both sides (duplex). Every letter starts on the front of a new sheet: a
 * letter's page count is made even with a blank back page when its text ends on a front. The
 * sample letter takes 2 pages (one sheet); long lists can make it 4 (two sheets). The manifest
 * (letter-manifest.ts) gives each letter's first page and page count for the inserter.
 */
import PDFDocument from 'pdfkit';
import { CampaignMessageFields, LetterAddressee } from '../campaign-message';
import { LETTERS_PER_BATCH } from '../campaign-recipient';
import { amsterdamToday } from '../../time/amsterdam';
import { dutchDate } from './dutch-dates';
import { letterFonts } from './fonts';
import { addressBlockLines, ComposedMessage, composeMessage, printable } from './letter-template';

const PT_PER_MM = 72 / 25.4;
const mm = (value: number) => value * PT_PER_MM;

export const A4_MM = { width: 210, height: 297 } as const;

/**
 * The envelope: the Dutch standard window envelope **EA5/6 (110 × 220 mm, "Amerikaanse envelop"),
 * window on the left, 40 × 110 mm (height × width), 20 mm from the left edge and 15 mm from the
 * bottom edge** of the envelope (so 55–95 mm from its top). An A4 is folded in three (≈ 99 mm a
 * panel), address panel outward; the folded letter is 99 × 210 mm in a 110 × 220 mm envelope and can
 * shift up to 11 mm down and 10 mm sideways. On the page, the window then shows somewhere between
 * x 10–120 mm and x 20–130 mm, and y 44–84 mm and y 55–95 mm. Whatever the shift, the page area
 * x 20–120 mm, y 55–84 mm is always visible: that is ENVELOPE_WINDOW_MM, and the address block
 * stays 2 mm inside it (ADDRESS_BLOCK_MM). Nothing else is printed in the union of the window's
 * possible positions (x 10–130 mm, y 44–95 mm), so no other text shows through.
 * Check it against the print shop's envelope before a run; other windows (C6/5, DIN 5008) differ.
 */
export const ENVELOPE_WINDOW_MM = { x: 20, y: 55, width: 100, height: 29 } as const;
export const ADDRESS_BLOCK_MM = { x: 22, y: 57, width: 96, height: 25 } as const;
/** Nothing but the address may print here (the window's every possible position). */
export const WINDOW_KEEP_OUT_MM = { x: 10, y: 44, width: 120, height: 51 } as const;
/** At most this many address lines fit in ADDRESS_BLOCK_MM at ADDRESS_FONT_SIZE. */
export const MAX_ADDRESS_LINES = 6;

const ADDRESS_FONT_SIZE = 10;
const MIN_ADDRESS_FONT_SIZE = 7;
const ADDRESS_LINE_GAP = 1;

const MARGIN_LEFT = mm(25);
const TEXT_WIDTH = mm(A4_MM.width - 25 - 25);
/** The body of page 1 starts below the window's lowest position. */
const BODY_TOP_FIRST = mm(103);
const BODY_TOP_NEXT = mm(30);
/** The body ends here; below: "Lees verder" and the page number. */
const BODY_BOTTOM = mm(272);
const FOOTER_Y = mm(283);

const BODY_SIZE = 11;
const BODY_GAP = 2.5;
const HEADING_SIZE = 12;
const TITLE_SIZE = 13;
const PARAGRAPH_SPACE = mm(3);
const HEADING_SPACE_BEFORE = mm(2);
const BULLET_INDENT = mm(6);

export interface LetterBatchOptions {
  /** The batch's creation instant: the PDF's CreationDate and the letters' date. Default: now. */
  createdAt?: Date;
}

export interface LetterPlacement {
  recipientId: string;
  /** 1-based page of the batch file on which the letter starts (always a front: odd). */
  firstPage: number;
  /** Pages of the letter including a blank back page; always even. */
  pages: number;
}

export interface RenderedLetterBatch {
  pdf: Buffer;
  pageCount: number;
  letters: LetterPlacement[];
}

type Font = 'regular' | 'bold';

interface Piece {
  height: number;
  /** A heading stays on the page of what follows it. */
  keepWithNext?: boolean;
  spaceBefore: number;
  draw(doc: PDFKit.PDFDocument, y: number): void;
}

class TextMeasure {
  private readonly heights = new Map<string, number>();
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  height(font: Font, size: number, text: string, width: number, lineGap: number): number {
    const key = `${font}\u0000${size}\u0000${width}\u0000${lineGap}\u0000${text}`;
    let height = this.heights.get(key);
    if (height === undefined) {
      height = this.doc.font(font).fontSize(size).heightOfString(text, { width, lineGap });
      this.heights.set(key, height);
    }
    return height;
  }
}

function textPiece(measure: TextMeasure, font: Font, size: number, text: string, spaceBefore: number, keepWithNext = false): Piece {
  const height = measure.height(font, size, text, TEXT_WIDTH, BODY_GAP);
  return {
    height,
    spaceBefore,
    keepWithNext,
    draw: (doc, y) => {
      doc.font(font).fontSize(size).text(text, MARGIN_LEFT, y, { width: TEXT_WIDTH, lineGap: BODY_GAP });
    },
  };
}

function bulletPiece(measure: TextMeasure, text: string, spaceBefore: number): Piece {
  const width = TEXT_WIDTH - BULLET_INDENT;
  const height = measure.height('regular', BODY_SIZE, text, width, BODY_GAP);
  return {
    height,
    spaceBefore,
    draw: (doc, y) => {
      doc.font('regular').fontSize(BODY_SIZE);
      doc.text('•', MARGIN_LEFT + mm(1.5), y, { lineBreak: false });
      doc.text(text, MARGIN_LEFT + BULLET_INDENT, y, { width, lineGap: BODY_GAP });
    },
  };
}

/** The letter's flowing body as pieces that pagination moves whole to the next page. */
function bodyPieces(measure: TextMeasure, message: ComposedMessage): Piece[] {
  const pieces: Piece[] = [
    textPiece(measure, 'bold', TITLE_SIZE, message.subject, 0),
    textPiece(measure, 'regular', BODY_SIZE, message.greeting, PARAGRAPH_SPACE),
  ];
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'heading':
        pieces.push(textPiece(measure, 'bold', HEADING_SIZE, block.text, PARAGRAPH_SPACE + HEADING_SPACE_BEFORE, true));
        break;
      case 'paragraph':
        pieces.push(textPiece(measure, 'regular', BODY_SIZE, block.text, PARAGRAPH_SPACE));
        break;
      case 'list':
        block.items.forEach((item, index) => pieces.push(bulletPiece(measure, item, index === 0 ? mm(1) : mm(0.8))));
        break;
      case 'contact': {
        const lines = [block.name, ...block.lines.map((line) => `${line.label}: ${line.value}`)];
        const heights = lines.map((line, index) =>
          measure.height(index === 0 ? 'bold' : 'regular', BODY_SIZE, line, TEXT_WIDTH - BULLET_INDENT, BODY_GAP),
        );
        pieces.push({
          height: heights.reduce((sum, h) => sum + h, 0),
          spaceBefore: mm(1.5),
          draw: (doc, y) => {
            let at = y;
            lines.forEach((line, index) => {
              doc
                .font(index === 0 ? 'bold' : 'regular')
                .fontSize(BODY_SIZE)
                .text(line, MARGIN_LEFT + BULLET_INDENT, at, { width: TEXT_WIDTH - BULLET_INDENT, lineGap: BODY_GAP });
              at += heights[index];
            });
          },
        });
        break;
      }
    }
  }
  pieces.push(signaturePiece(measure, message));
  return pieces;
}

/** "Met vriendelijke groet," and the three signatories side by side: name, role, organisation. */
function signaturePiece(measure: TextMeasure, message: ComposedMessage): Piece {
  const columns = message.signatures.length;
  const gutter = mm(5);
  const columnWidth = (TEXT_WIDTH - gutter * (columns - 1)) / columns;
  const closingHeight = measure.height('regular', BODY_SIZE, message.closing, TEXT_WIDTH, BODY_GAP);
  const space = mm(10); // room to sign
  const rows = message.signatures.map((s) => [
    { font: 'bold' as Font, text: s.name, height: measure.height('bold', BODY_SIZE, s.name, columnWidth, 1) },
    { font: 'regular' as Font, text: s.role, height: measure.height('regular', 10, s.role, columnWidth, 1) },
    { font: 'regular' as Font, text: s.organisation, height: measure.height('regular', 10, s.organisation, columnWidth, 1) },
  ]);
  const tallest = Math.max(...rows.map((row) => row.reduce((sum, cell) => sum + cell.height, 0)));
  return {
    height: closingHeight + space + tallest,
    spaceBefore: PARAGRAPH_SPACE + mm(2),
    draw: (doc, y) => {
      doc.font('regular').fontSize(BODY_SIZE).text(message.closing, MARGIN_LEFT, y, { width: TEXT_WIDTH, lineGap: BODY_GAP });
      rows.forEach((row, column) => {
        let at = y + closingHeight + space;
        const x = MARGIN_LEFT + column * (columnWidth + gutter);
        for (const cell of row) {
          doc
            .font(cell.font)
            .fontSize(cell.font === 'bold' ? BODY_SIZE : 10)
            .text(cell.text, x, at, { width: columnWidth, lineGap: 1 });
          at += cell.height;
        }
      });
    },
  };
}

/** Places pieces on pages: page index (0-based) and y of each. */
function paginate(pieces: Piece[]): { page: number; y: number }[] {
  const placed: { page: number; y: number }[] = [];
  let page = 0;
  let y = BODY_TOP_FIRST;
  let first = true;
  pieces.forEach((piece, index) => {
    let needed = (first ? 0 : piece.spaceBefore) + piece.height;
    if (piece.keepWithNext && pieces[index + 1]) needed += pieces[index + 1].spaceBefore + pieces[index + 1].height;
    if (!first && y + needed > BODY_BOTTOM) {
      page += 1;
      y = BODY_TOP_NEXT;
      first = true;
    }
    const top = first ? y : y + piece.spaceBefore;
    placed.push({ page, y: top });
    y = top + piece.height;
    first = false;
  });
  return placed;
}

interface BatchContext {
  doc: PDFKit.PDFDocument;
  measure: TextMeasure;
  fields: CampaignMessageFields;
  templateVersion: number;
  letterDate: string;
  messages: Map<string, { message: ComposedMessage; pieces: Piece[]; placement: { page: number; y: number }[] }>;
}

function layoutFor(context: BatchContext, salutation: string | null) {
  const key = salutation ?? '';
  let layout = context.messages.get(key);
  if (!layout) {
    const message = composeMessage(context.fields, context.templateVersion, salutation);
    const pieces = bodyPieces(context.measure, message);
    layout = { message, pieces, placement: paginate(pieces) };
    context.messages.set(key, layout);
  }
  return layout;
}

function drawLetterhead(context: BatchContext): void {
  const { doc, fields } = context;
  const width = mm(100);
  doc
    .font('bold')
    .fontSize(15)
    .text(printable(fields.municipality.name), MARGIN_LEFT, mm(15), { width, height: mm(8), ellipsis: true, lineBreak: false });
  doc
    .font('regular')
    .fontSize(9)
    .text(`Samen met ${printable(fields.outgoing.name)} en ${printable(fields.incoming.name)}`, MARGIN_LEFT, mm(24), {
      width,
      height: mm(15),
      ellipsis: true,
      lineGap: 1,
    });
  // Right column, beside the window area (x ≥ 135 mm).
  const x = mm(135);
  const columnWidth = mm(A4_MM.width - 135 - 20);
  const rows: [string, string][] = [
    ['Datum', context.letterDate],
    ['Gebied', printable(fields.district)],
    ['Vragen?', printable(fields.incoming.phone)],
  ];
  let y = mm(57);
  for (const [label, value] of rows) {
    doc.font('bold').fontSize(9).text(label, x, y, { width: columnWidth, lineBreak: false });
    y += mm(4);
    doc.font('regular').fontSize(10).text(value, x, y, { width: columnWidth, height: mm(9), ellipsis: true, lineGap: 1 });
    y += mm(8);
  }
}

function drawAddress(context: BatchContext, addressee: LetterAddressee): void {
  const { doc } = context;
  const lines = addressBlockLines(addressee);
  if (lines.length === 0) throw new Error(`letter for ${addressee.recipientId} has no address lines`);
  if (lines.length > MAX_ADDRESS_LINES) {
    throw new Error(`letter for ${addressee.recipientId} has ${lines.length} address lines; at most ${MAX_ADDRESS_LINES} fit the window`);
  }
  const width = mm(ADDRESS_BLOCK_MM.width);
  let y = mm(ADDRESS_BLOCK_MM.y);
  doc.font('regular');
  for (const line of lines) {
    // A line wider than the window is set smaller (down to 7 pt) rather than wrapped into the next
    // line's place; what still does not fit is cut with "…" (the audience import keeps lines short).
    const natural = doc.fontSize(ADDRESS_FONT_SIZE).widthOfString(line);
    const size = natural > width ? Math.max(MIN_ADDRESS_FONT_SIZE, (ADDRESS_FONT_SIZE * width) / natural) : ADDRESS_FONT_SIZE;
    doc.fontSize(size);
    let shown = line;
    while (shown.length > 1 && doc.widthOfString(shown) > width) shown = `${shown.slice(0, -2).trimEnd()}…`;
    doc.text(shown, mm(ADDRESS_BLOCK_MM.x), y, { lineBreak: false });
    y += ADDRESS_FONT_SIZE * 1.15 + ADDRESS_LINE_GAP;
  }
}

function drawLetter(context: BatchContext, addressee: LetterAddressee): number {
  const { doc } = context;
  const salutation = addressee.salutation && addressee.salutation.trim() ? addressee.salutation : null;
  const { message, pieces, placement } = layoutFor(context, salutation);
  const contentPages = placement[placement.length - 1].page + 1;
  const pages = contentPages % 2 === 0 ? contentPages : contentPages + 1;

  for (let page = 0; page < contentPages; page++) {
    doc.addPage({ size: 'A4', margin: 0 });
    if (page === 0) {
      drawLetterhead(context);
      drawAddress(context, addressee);
    } else {
      doc
        .font('regular')
        .fontSize(9)
        .text(`${message.subject} (vervolg)`, MARGIN_LEFT, mm(15), { width: TEXT_WIDTH, height: mm(10), ellipsis: true });
    }
    pieces.forEach((piece, index) => {
      if (placement[index].page === page) piece.draw(doc, placement[index].y);
    });
    doc.font('regular').fontSize(9);
    if (page < contentPages - 1) {
      doc.text('Lees verder op de volgende pagina.', MARGIN_LEFT, FOOTER_Y - mm(6), { width: TEXT_WIDTH, lineBreak: false });
    }
    doc.text(`Pagina ${page + 1} van ${contentPages}`, MARGIN_LEFT, FOOTER_Y, {
      width: TEXT_WIDTH,
      align: 'right',
      lineBreak: false,
    });
  }
  // The blank back: the next letter starts on the front of a new sheet.
  for (let page = contentPages; page < pages; page++) doc.addPage({ size: 'A4', margin: 0 });
  return pages;
}

/**
 * Renders the letters of one print batch, in the order given (sort them by postcode and house
 * number before: see `sortForPrint`), into one PDF, with where each letter starts.
 */
export async function renderLetterBatchWithLayout(
  fields: CampaignMessageFields,
  templateVersion: number,
  addressees: readonly LetterAddressee[],
  options: LetterBatchOptions = {},
): Promise<RenderedLetterBatch> {
  if (addressees.length === 0) throw new Error('a letter batch needs at least one addressee');
  if (addressees.length > LETTERS_PER_BATCH) {
    throw new Error(`a letter batch holds at most ${LETTERS_PER_BATCH} letters, not ${addressees.length}`);
  }
  const createdAt = options.createdAt ?? new Date();
  const firstMessage = composeMessage(fields, templateVersion, null);
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    margin: 0,
    pdfVersion: '1.7',
    lang: 'nl-NL',
    displayTitle: true,
    info: {
      Title: firstMessage.subject,
      Author: printable(fields.municipality.name),
      Subject: `Bewonersbrief ${printable(fields.district)}, sjabloon versie ${templateVersion}, ${addressees.length === 1 ? '1 brief' : `${addressees.length} brieven`}`,
      Creator: 'Overdracht',
      Producer: 'Overdracht (PDFKit)',
      CreationDate: createdAt,
      ModDate: createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const fonts = letterFonts();
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);

  const context: BatchContext = {
    doc,
    measure: new TextMeasure(doc),
    fields,
    templateVersion,
    letterDate: dutchDate(amsterdamToday(createdAt)),
    messages: new Map(),
  };
  const letters: LetterPlacement[] = [];
  let nextPage = 1;
  for (const addressee of addressees) {
    const pages = drawLetter(context, addressee);
    letters.push({ recipientId: addressee.recipientId, firstPage: nextPage, pages });
    nextPage += pages;
  }
  doc.end();
  await finished;
  return { pdf: Buffer.concat(chunks), pageCount: nextPage - 1, letters };
}

/** One print batch as one PDF (see renderLetterBatchWithLayout for where each letter starts). */
export async function renderLetterBatch(
  fields: CampaignMessageFields,
  templateVersion: number,
  addressees: LetterAddressee[],
  options?: { createdAt: Date },
): Promise<Buffer> {
  return (await renderLetterBatchWithLayout(fields, templateVersion, addressees, options)).pdf;
}

/** Print order: postcode (digits, then letters), house number, addition; recipient id last for a stable order. */
export function sortForPrint<T extends LetterAddressee>(addressees: readonly T[]): T[] {
  const key = (postcode: string) => postcode.replace(/\s+/g, '').toUpperCase();
  return [...addressees].sort(
    (a, b) =>
      compare(key(a.postcode), key(b.postcode)) ||
      a.houseNumber - b.houseNumber ||
      compare(a.addition.toUpperCase(), b.addition.toUpperCase()) ||
      compare(a.recipientId, b.recipientId),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
