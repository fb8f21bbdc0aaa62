import type { LetterAddressee } from '../../src/campaigns/campaign-message';
import { renderLetterBatchWithLayout } from '../../src/campaigns/letters/letter-pdf';
import { LetterPrinter } from '../../src/campaigns/letters/letter-printer';
import { SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';

const addressees: LetterAddressee[] = Array.from({ length: 12 }, (_, i) => ({
  recipientId: `address:${i + 1}`,
  addressLines: ['Aan de bewoners van', `Beijerlandselaan ${i + 1}`, '3074 KD  ROTTERDAM'],
  postcode: '3074 KD',
  houseNumber: i + 1,
  addition: '',
  salutation: i === 3 ? 'Mevrouw Öztürk' : '',
}));
const createdAt = new Date('2026-04-14T08:30:00Z');

describe('LetterPrinter (print files rendered on a thread of their own)', () => {
  const printer = new LetterPrinter();
  afterAll(() => printer.close());

  it('gives byte for byte the file the renderer gives on this thread, and a manifest of where each letter starts', async () => {
    const [printed, direct] = await Promise.all([
      printer.print(SAMPLE_MESSAGE_FIELDS, 1, 7, addressees, createdAt),
      renderLetterBatchWithLayout(SAMPLE_MESSAGE_FIELDS, 1, addressees, { createdAt }),
    ]);
    expect(Buffer.isBuffer(printed.pdf)).toBe(true);
    expect(printed.pdf.equals(direct.pdf)).toBe(true);
    const lines = printed.manifest.trim().split('\r\n');
    expect(lines).toHaveLength(addressees.length + 1);
    expect(lines[1]).toBe(`7;1;address:1;3074 KD;1;;1;${direct.letters[0].pages}`);
  });

  it("fails a file the renderer refuses with the renderer's message, and prints the next one", async () => {
    await expect(printer.print(SAMPLE_MESSAGE_FIELDS, 1, 8, [], createdAt)).rejects.toThrow('a letter batch needs at least one addressee');
    const again = await printer.print(SAMPLE_MESSAGE_FIELDS, 1, 9, addressees.slice(0, 1), createdAt);
    expect(again.pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
