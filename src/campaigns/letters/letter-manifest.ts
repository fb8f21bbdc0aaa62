import { stringify } from 'csv-stringify/sync';
import { LetterAddressee } from '../campaign-message';
import { LetterPlacement } from './letter-pdf';

/** Pages of one letter when no layout is given: one A4 sheet printed on both sides. */
export const DEFAULT_PAGES_PER_LETTER = 2;

export const MANIFEST_COLUMNS = [
  'batch',
  'volgnummer',
  'ontvanger',
  'postcode',
  'huisnummer',
  'toevoeging',
  'eerste pagina',
  "pagina's",
] as const;

/**
 * The manifest of one print batch for the print shop and for checking what was posted: one row per
 * letter, in the batch file's order. Dutch Excel form: `;`, UTF-8 with BOM, CRLF. No names or
 * street names (only the ledger's recipient id, postcode and house number), so the manifest can be
 * mailed to the print shop next to the PDF without adding personal data to it.
 *
 * `placements` is the layout from `renderLetterBatchWithLayout` (first page and page count per
 * letter); without it, every letter is taken to be DEFAULT_PAGES_PER_LETTER pages.
 * Cells starting with = + - @ (or a tab or carriage return) get a leading `'` so that Excel does
 * not run them as formulas (CSV injection).
 */
export function letterManifestCsv(
  batchNo: number,
  addressees: readonly LetterAddressee[],
  placements?: readonly LetterPlacement[],
): string {
  if (placements && placements.length !== addressees.length) {
    throw new Error(`manifest: ${addressees.length} addressees but ${placements.length} placements`);
  }
  const rows = addressees.map((addressee, index) => {
    const placement = placements?.[index] ?? {
      recipientId: addressee.recipientId,
      firstPage: index * DEFAULT_PAGES_PER_LETTER + 1,
      pages: DEFAULT_PAGES_PER_LETTER,
    };
    if (placement.recipientId !== addressee.recipientId) {
      throw new Error(`manifest: letter ${index + 1} is ${placement.recipientId} in the layout, ${addressee.recipientId} in the list`);
    }
    return [
      String(batchNo),
      String(index + 1),
      addressee.recipientId,
      addressee.postcode,
      String(addressee.houseNumber),
      addressee.addition,
      String(placement.firstPage),
      String(placement.pages),
    ];
  });
  return stringify([[...MANIFEST_COLUMNS], ...rows], {
    delimiter: ';',
    record_delimiter: 'windows',
    bom: true,
    escape_formulas: true,
  });
}
