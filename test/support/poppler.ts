import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PopplerTool = 'pdftotext' | 'pdftoppm' | 'pdfinfo' | 'pdffonts';

/**
 * Runs one of poppler-utils' tools (Debian package `poppler-utils`; `npm run tools:install`
 * installs it when run as root). A missing tool fails the test with the package to install.
 */
export async function poppler(tool: PopplerTool, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: install the Debian package poppler-utils (npm run tools:install does it as root)`);
    }
    throw error;
  }
}

export async function pdfPageCount(file: string): Promise<number> {
  const info = await poppler('pdfinfo', [file]);
  const match = /^Pages:\s+(\d+)$/m.exec(info);
  if (!match) throw new Error(`pdfinfo gave no page count:\n${info}`);
  return Number(match[1]);
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

/** `pdffonts`' table: one row per font object in the file. */
export async function pdfFonts(file: string): Promise<PdfFont[]> {
  const lines = (await poppler('pdffonts', [file])).split('\n').slice(2).filter((line) => line.trim());
  return lines.map((line) => {
    // name, type (may contain spaces), encoding, emb, sub, uni, object ID
    const match = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
    if (!match) throw new Error(`unexpected pdffonts line: ${line}`);
    return { name: match[1], type: match[2], embedded: match[4] === 'yes', subset: match[5] === 'yes' };
  });
}

const PT_PER_MM = 72 / 25.4;

/** The text of one page inside a rectangle given in millimetres from the page's top left. */
export async function pdfTextInRect(
  file: string,
  page: number,
  rect: { x: number; y: number; width: number; height: number },
): Promise<string> {
  // At -r 72 a pixel is a point.
  return poppler('pdftotext', [
    '-r', '72',
    '-f', String(page),
    '-l', String(page),
    '-x', String(Math.floor(rect.x * PT_PER_MM)),
    '-y', String(Math.floor(rect.y * PT_PER_MM)),
    '-W', String(Math.ceil(rect.width * PT_PER_MM)),
    '-H', String(Math.ceil(rect.height * PT_PER_MM)),
    '-layout',
    file,
    '-',
  ]);
}

/** Collapses runs of white space, form feeds included, to one space. */
export const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
