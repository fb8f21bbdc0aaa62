import { parse } from 'csv-parse/sync';
import { CampaignMessageFields, LetterAddressee } from '../../src/campaigns/campaign-message';
import { renderCampaignEmail } from '../../src/campaigns/email/campaign-email';
import { dutchDate } from '../../src/campaigns/letters/dutch-dates';
import { mergeFieldValues } from '../support/campaign-fields';
import { letterManifestCsv, MANIFEST_COLUMNS } from '../../src/campaigns/letters/letter-manifest';
import { sortForPrint } from '../../src/campaigns/letters/letter-pdf';
import {
  addressBlockLines,
  composeMessage,
  CURRENT_TEMPLATE_VERSION,
  LETTER_TEMPLATES,
  missingMergeFields,
  printable,
} from '../../src/campaigns/letters/letter-template';
import { SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';

const fields = (): CampaignMessageFields => structuredClone(SAMPLE_MESSAGE_FIELDS);

describe('missingMergeFields', () => {
  it('finds nothing missing in a complete message', () => {
    expect(missingMergeFields(fields())).toEqual([]);
  });

  it('names every empty or blank text field by its path', () => {
    const f = fields();
    f.district = '';
    f.incoming.phone = '   ';
    f.municipality.contact.website = '\t\n';
    f.signatures.municipality.role = '';
    f.whereToAsk = '';
    expect(missingMergeFields(f)).toEqual([
      'municipality.contact.website',
      'district',
      'incoming.phone',
      'whereToAsk',
      'signatures.municipality.role',
    ]);
  });

  it('names an empty list as a whole and a blank point by its index', () => {
    const f = fields();
    f.whatChanges = [];
    f.whatStays = ['De hulp is gratis.', ' ', 'Het buurthuis blijft open.'];
    expect(missingMergeFields(f)).toEqual(['whatChanges', 'whatStays[1]']);
  });

  it('counts a go-live date the letter cannot say as missing', () => {
    for (const goLiveDate of ['', '2022-02-30', '01-06-2022', '2022-6-1']) {
      expect(missingMergeFields({ ...fields(), goLiveDate })).toEqual(['goLiveDate']);
    }
  });

  it('survives fields absent altogether (untyped JSON)', () => {
    const partial = { district: 'Charlois' } as unknown as CampaignMessageFields;
    const missing = missingMergeFields(partial);
    expect(missing).toContain('municipality.name');
    expect(missing).toContain('incoming.email');
    expect(missing).toContain('whatChanges');
    expect(missing).toContain('signatures.outgoing.name');
    expect(missing).not.toContain('district');
  });

  it('is what composing checks: a message with a missing field is refused', () => {
    expect(() => composeMessage({ ...fields(), district: '' }, CURRENT_TEMPLATE_VERSION, null)).toThrow(/district/);
  });
});

describe('letter templates', () => {
  it('has version 1 as the current one and refuses an unknown version', () => {
    expect(CURRENT_TEMPLATE_VERSION).toBe(1);
    expect(LETTER_TEMPLATES[1].version).toBe(1);
    expect(() => composeMessage(fields(), 99, null)).toThrow(/version 99/);
    expect(() => composeMessage(fields(), 'constructor' as unknown as number, null)).toThrow(/version/);
  });

  it('writes dates the Dutch way', () => {
    expect(dutchDate('2022-06-01')).toBe('1 juni 2022');
    expect(dutchDate('2018-01-31')).toBe('31 januari 2018');
    expect(() => dutchDate('2022-13-01')).toThrow();
  });

  it('greets a resident of an address, or a client by name', () => {
    expect(composeMessage(fields(), 1, null).greeting).toBe('Beste bewoner,');
    expect(composeMessage(fields(), 1, 'mevrouw Jansen').greeting).toBe('Beste mevrouw Jansen,');
  });

  it('puts "Aan de bewoners van" above an address, never twice, and not on a personal letter', () => {
    const address: LetterAddressee = {
      recipientId: 'address:1',
      addressLines: ['Hillevliet 12', '3074 KD Rotterdam'],
      postcode: '3074 KD',
      houseNumber: 12,
      addition: '',
      salutation: '',
    };
    expect(addressBlockLines(address)).toEqual(['Aan de bewoners van', 'Hillevliet 12', '3074 KD Rotterdam']);
    expect(addressBlockLines({ ...address, addressLines: ['Aan de bewoners van', ...address.addressLines] })).toHaveLength(3);
    expect(
      addressBlockLines({ ...address, salutation: 'meneer Bakker', addressLines: ['De heer P. Bakker', ...address.addressLines] }),
    ).toEqual(['De heer P. Bakker', 'Hillevliet 12', '3074 KD Rotterdam']);
  });

  it('prints the Dutch ligature ĳ as the letters ij and composes accents', () => {
    expect(printable('\u0132sselmonde, Hillegersberg-Schiebroek, bĳ')).toBe('IJsselmonde, Hillegersberg-Schiebroek, bij');
    expect(printable('Noe\u0308l')).toBe('Noël');
    expect(printable('a\r\nb\u0000c')).toBe('a b c');
  });
});

describe('renderCampaignEmail', () => {
  it('has a short Dutch subject naming the district and the date', () => {
    const { subject } = renderCampaignEmail(fields(), 1, null);
    expect(subject).toBe('Nieuwe welzijnsorganisatie in Feijenoord vanaf 1 juni 2022');
    expect(subject.length).toBeLessThanOrEqual(78);
  });

  it('says every merge field in both the HTML and the plain text', () => {
    const f = fields();
    f.whereToAsk = 'Vragen? Kom naar "De Ark" & bel ons.';
    const { html, text } = renderCampaignEmail(f, 1, 'mevrouw Öztürk');
    for (const value of mergeFieldValues(f)) {
      expect(text).toContain(value);
      expect(html).toContain(value.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    }
    expect(text).toContain('Beste mevrouw Öztürk,');
    expect(html).toContain('<html lang="nl">');
    for (const body of [html, text]) {
      expect(body).not.toMatch(/\{\{|undefined|null|NaN/);
    }
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('escapes a hostile merge field everywhere in the HTML', () => {
    const f = fields();
    f.district = '<script>alert("wijk")</script>';
    f.whatChanges = ['<img src=x onerror=alert(1)>'];
    f.incoming.website = '"><script>alert(2)</script>';
    f.incoming.email = 'javascript:alert(3)';
    f.signatures.municipality.name = "O'Brien & <b>Zn</b>";
    const { html, text, subject } = renderCampaignEmail(f, 1, '<script>x</script>');
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/i);
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('href="mailto:javascript');
    expect(html).toContain('&lt;script&gt;alert(&quot;wijk&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#39;Brien &amp; &lt;b&gt;Zn&lt;/b&gt;');
    expect(html).toContain('Beste &lt;script&gt;x&lt;/script&gt;,');
    // The plain text says it as it is: it is not HTML.
    expect(text).toContain('<script>alert("wijk")</script>');
    expect(subject).toContain('<script>');
  });

  it('links an e-mail address and a website only when they look like one', () => {
    const { html } = renderCampaignEmail(fields(), 1, null);
    expect(html).toContain('<a href="mailto:vragen@maasoever.example">vragen@maasoever.example</a>');
    expect(html).toContain('<a href="https://www.maasoever.example">www.maasoever.example</a>');
  });
});

describe('letterManifestCsv', () => {
  const addressees: LetterAddressee[] = [
    { recipientId: 'address:b', addressLines: [], postcode: '3074 KD', houseNumber: 12, addition: '', salutation: '' },
    { recipientId: 'address:a', addressLines: [], postcode: '3071 AA', houseNumber: 3, addition: '=1+2', salutation: '' },
    { recipientId: '@client:x', addressLines: [], postcode: '3071 AA', houseNumber: 3, addition: '-A', salutation: 'x' },
  ];

  it('is Dutch Excel CSV: BOM, semicolons, CRLF, one row per letter with its pages', () => {
    const csv = letterManifestCsv(7, addressees, [
      { recipientId: 'address:b', firstPage: 1, pages: 2 },
      { recipientId: 'address:a', firstPage: 3, pages: 4 },
      { recipientId: '@client:x', firstPage: 7, pages: 2 },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(5); // header, 3 rows, '' after the last CRLF
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';' });
    expect(rows[0]).toEqual([...MANIFEST_COLUMNS]);
    expect(rows[1]).toEqual(['7', '1', 'address:b', '3074 KD', '12', '', '1', '2']);
    expect(rows[2]).toEqual(['7', '2', 'address:a', '3071 AA', '3', "'=1+2", '3', '4']);
    expect(rows[3]).toEqual(['7', '3', "'@client:x", '3071 AA', '3', "'-A", '7', '2']);
  });

  it('neutralises every cell that Excel would run as a formula', () => {
    const csv = letterManifestCsv(1, [
      { recipientId: '+cmd', addressLines: [], postcode: '=HYPERLINK("http://x")', houseNumber: 1, addition: '@SUM(A1)', salutation: '' },
    ]);
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';' });
    for (const cell of rows[1]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('refuses a layout that does not belong to the list', () => {
    expect(() => letterManifestCsv(1, addressees, [])).toThrow(/placements/);
    expect(() =>
      letterManifestCsv(1, addressees.slice(0, 1), [{ recipientId: 'address:other', firstPage: 1, pages: 2 }]),
    ).toThrow(/address:other/);
  });
});

describe('sortForPrint', () => {
  it('orders by postcode, house number, addition', () => {
    const a = (recipientId: string, postcode: string, houseNumber: number, addition = ''): LetterAddressee => ({
      recipientId,
      addressLines: [],
      postcode,
      houseNumber,
      addition,
      salutation: '',
    });
    const sorted = sortForPrint([a('1', '3074 KD', 12), a('2', '3071AA', 3, 'b'), a('3', '3071 aa', 3, 'A'), a('4', '3071 AA', 2)]);
    expect(sorted.map((x) => x.recipientId)).toEqual(['4', '3', '2', '1']);
  });
});
