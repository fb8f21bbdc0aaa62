import { decode } from 'iconv-lite';

export type DecodedCsvFile = { ok: true; text: string } | { ok: false; line: number };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * The file's text with LF line ends. Valid UTF-8 (with or without BOM) is read as UTF-8; other
 * bytes as Windows-1252, which Dutch Excel writes for "CSV (gescheiden door lijstscheidingsteken)".
 * A file that declares UTF-8 with a BOM but is not valid UTF-8 is refused rather than guessed at:
 * as Windows-1252 its text would come out garbled without any byte being wrong.
 */
export function decodeCsvFile(bytes: Buffer): DecodedCsvFile {
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return { ok: true, text: withLfLineEnds(utf8) };
  if (startsWithUtf8Bom(bytes)) return { ok: false, line: lineOfFirstInvalidUtf8(bytes) };
  return { ok: true, text: withLfLineEnds(decode(bytes, 'windows-1252')) };
}

/** The text without its BOM, or null when the bytes are not valid UTF-8. */
function decodeUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const startsWithUtf8Bom = (bytes: Buffer) => bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM);

function lineOfFirstInvalidUtf8(bytes: Buffer): number {
  const text = withLfLineEnds(new TextDecoder('utf-8').decode(bytes));
  return countLineFeeds(text.slice(0, text.indexOf(REPLACEMENT_CHARACTER))) + 1;
}

/**
 * CR LF (Windows) and a lone CR (classic Mac) become LF, so line numbers and line breaks inside
 * a quoted cell mean the same whichever wrote the file.
 */
const withLfLineEnds = (text: string) => text.replace(/\r\n?/g, '\n');

export function countLineFeeds(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
