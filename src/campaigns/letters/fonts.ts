import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Liberation Sans 2.1.5 (SIL Open Font License 1.1, see fonts/LICENSE.txt), committed next to this
 * file. nest-cli.json copies `campaigns/letters/fonts/**` to `dist/src/campaigns/letters/fonts/`,
 * so `__dirname/fonts` is the folder both from `src/` (ts-node, jest) and from `dist/src/` (built).
 * LETTER_FONTS_DIR overrides it (a deployment that keeps assets elsewhere).
 */
export const LETTER_FONTS_DIR = process.env.LETTER_FONTS_DIR || join(__dirname, 'fonts');

export const LETTER_FONT_FILES = {
  regular: 'LiberationSans-Regular.ttf',
  bold: 'LiberationSans-Bold.ttf',
} as const;

export type LetterFont = keyof typeof LETTER_FONT_FILES;

let cache: Record<LetterFont, Buffer> | undefined;

/** The font files, read once per process. */
export function letterFonts(): Record<LetterFont, Buffer> {
  if (!cache) {
    cache = {
      regular: readFileSync(join(LETTER_FONTS_DIR, LETTER_FONT_FILES.regular)),
      bold: readFileSync(join(LETTER_FONTS_DIR, LETTER_FONT_FILES.bold)),
    };
  }
  return cache;
}
