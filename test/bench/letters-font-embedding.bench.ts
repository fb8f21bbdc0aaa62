/**
 * Why batch files with the fonts embedded once: 1,000 letters rendered as one batch file (fonts
 * embedded once) against 1,000 single-letter files (the fonts embedded in every file), the same
 * template and addressees, in the same process.
 *
 *   node -r ts-node/register/transpile-only test/bench/letters-font-embedding.bench.ts [letters] [runs]
 */
import { performance } from 'node:perf_hooks';
import { LetterAddressee } from '../../src/campaigns/campaign-message';
import { renderLetterBatch } from '../../src/campaigns/letters/letter-pdf';
import { SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';

const LETTERS = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 3);
const createdAt = new Date('2022-04-14T08:30:00Z');

const addressees: LetterAddressee[] = Array.from({ length: LETTERS }, (_, i) => ({
  recipientId: `address:${i}`,
  addressLines: [`Beijerlandselaan ${i + 1}`, '3074 KD Rotterdam'],
  postcode: '3074 KD',
  houseNumber: i + 1,
  addition: '',
  salutation: '',
}));

async function batchOnce(): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const pdf = await renderLetterBatch(SAMPLE_MESSAGE_FIELDS, 1, addressees, { createdAt });
  return { ms: performance.now() - start, bytes: pdf.length };
}

async function filePerLetter(): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  let bytes = 0;
  for (const addressee of addressees) {
    bytes += (await renderLetterBatch(SAMPLE_MESSAGE_FIELDS, 1, [addressee], { createdAt })).length;
  }
  return { ms: performance.now() - start, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  await renderLetterBatch(SAMPLE_MESSAGE_FIELDS, 1, addressees.slice(0, 20), { createdAt }); // warm up (JIT, font files read)
  const rows: { how: string; ms: number[]; bytes: number }[] = [
    { how: 'one batch file, fonts embedded once', ms: [], bytes: 0 },
    { how: 'one file per letter, fonts embedded per file', ms: [], bytes: 0 },
  ];
  for (let run = 0; run < RUNS; run++) {
    const batch = await batchOnce();
    rows[0].ms.push(batch.ms);
    rows[0].bytes = batch.bytes;
    const single = await filePerLetter();
    rows[1].ms.push(single.ms);
    rows[1].bytes = single.bytes;
  }
  console.log(`${LETTERS} letters, median of ${RUNS} runs, Node ${process.version}`);
  console.log('| how | ms per letter | total s | MB |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    const ms = median(row.ms);
    console.log(`| ${row.how} | ${(ms / LETTERS).toFixed(2)} | ${(ms / 1000).toFixed(1)} | ${(row.bytes / 1e6).toFixed(1)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
