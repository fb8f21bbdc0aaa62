import { CampaignMessageFields, LetterAddressee, OrganisationContact } from '../campaign-message';
import { dutchDate, isIsoCalendarDate } from './dutch-dates';

/**
 * The campaign's message as structured blocks, one source for the printed letter (PDF) and the
 * e-mail (HTML and plain text), so both say the same. A template is a pure function of the merge
 * fields; it is versioned: a campaign approves one version, and an approved version's wording never
 * changes (a new wording is a new version).
 *
 * Language level B1: short sentences, common words, "u", one subject per paragraph, lists for the
 * facts a resident looks for (what changes, what stays, whom to call).
 */
export type MessageBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  /** An organisation's contact details: its name, then labelled lines (Telefoon, E-mail, Website). */
  | { kind: 'contact'; name: string; lines: { label: string; value: string }[] };

export interface SignatureBlock {
  name: string;
  role: string;
  organisation: string;
}

export interface ComposedMessage {
  templateVersion: number;
  /** Short Dutch subject: the letter's title and the e-mail's Subject. */
  subject: string;
  /** "Beste bewoner," or "Beste <salutation>,". */
  greeting: string;
  blocks: MessageBlock[];
  closing: string;
  signatures: SignatureBlock[];
}

export interface LetterTemplate {
  version: number;
  /** What changed against the previous version (for the coordinator who approves). */
  description: string;
  compose(fields: CampaignMessageFields, salutation: string | null): ComposedMessage;
}

/** The address block's first line on a letter to an address (no names needed). */
export const TO_THE_RESIDENTS_OF = 'Aan de bewoners van';

const contactBlock = (contact: OrganisationContact): MessageBlock => ({
  kind: 'contact',
  name: contact.name,
  lines: [
    { label: 'Telefoon', value: contact.phone },
    { label: 'E-mail', value: contact.email },
    { label: 'Website', value: contact.website },
  ],
});

const templateV1: LetterTemplate = {
  version: 1,
  description: 'Eerste versie: wie het welzijnswerk overneemt, wat verandert, wat blijft, waar u vragen stelt.',
  compose(fields, salutation) {
    const goLive = dutchDate(fields.goLiveDate);
    const { incoming, outgoing, municipality, district } = fields;
    return {
      templateVersion: 1,
      subject: `Nieuwe welzijnsorganisatie in ${district} vanaf ${goLive}`,
      greeting: salutation && salutation.trim() ? `Beste ${salutation.trim()},` : 'Beste bewoner,',
      blocks: [
        {
          kind: 'paragraph',
          text:
            `Vanaf ${goLive} doet ${incoming.name} het welzijnswerk in ${district}. ` +
            `Nu doet ${outgoing.name} dat nog. De gemeente heeft dit zo besloten.`,
        },
        {
          kind: 'paragraph',
          text:
            'Welzijnswerk is hulp en activiteiten in uw buurt. Bijvoorbeeld voor jongeren, voor ouderen ' +
            'en voor bewoners die wat extra hulp nodig hebben. In deze brief leest u wat er verandert.',
        },
        {
          kind: 'paragraph',
          text: `${outgoing.name} en ${incoming.name} werken samen. Zo gaat het werk goed over.`,
        },
        { kind: 'heading', text: 'Wat verandert er?' },
        { kind: 'list', items: [...fields.whatChanges] },
        { kind: 'heading', text: 'Wat blijft hetzelfde?' },
        { kind: 'list', items: [...fields.whatStays] },
        { kind: 'heading', text: `Vanaf ${goLive} bereikt u ${incoming.name} zo:` },
        contactBlock(incoming),
        {
          kind: 'paragraph',
          text:
            `Tot ${goLive} kunt u nog terecht bij ${outgoing.name}. ` +
            `Bel ${outgoing.phone}, mail naar ${outgoing.email} of kijk op ${outgoing.website}.`,
        },
        { kind: 'heading', text: 'Heeft u vragen?' },
        { kind: 'paragraph', text: fields.whereToAsk },
        { kind: 'paragraph', text: 'U kunt ook de gemeente bellen of mailen:' },
        contactBlock(municipality.contact),
      ],
      closing: 'Met vriendelijke groet,',
      signatures: [
        { ...fields.signatures.outgoing, organisation: outgoing.name },
        { ...fields.signatures.incoming, organisation: incoming.name },
        { ...fields.signatures.municipality, organisation: municipality.name },
      ],
    };
  },
};

/** Every template by version number. Never change a published version: add one. */
export const LETTER_TEMPLATES: Readonly<Record<number, LetterTemplate>> = Object.freeze({ 1: templateV1 });

/** The version a new campaign gets. */
export const CURRENT_TEMPLATE_VERSION = 1;

export function letterTemplate(version: number): LetterTemplate {
  const template = Object.prototype.hasOwnProperty.call(LETTER_TEMPLATES, version) ? LETTER_TEMPLATES[version] : undefined;
  if (!template) throw new Error(`no letter template version ${version}`);
  return template;
}

/**
 * Text as it is printed and sent: Unicode NFC (so "e" + combining diaeresis becomes "ë"), the
 * Dutch ligature ĳ/Ĳ written as the two letters ij/IJ (how readers and search expect it, and
 * what `pdftotext` gives back), control characters and line breaks folded to one space.
 */
export function printable(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\u0133/g, 'ij')
    .replace(/\u0132/g, 'IJ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Composes a template version's message with every text made printable. */
export function composeMessage(
  fields: CampaignMessageFields,
  templateVersion: number,
  salutation: string | null,
): ComposedMessage {
  const problems = missingMergeFields(fields);
  if (problems.length > 0) throw new Error(`merge fields missing: ${problems.join(', ')}`);
  const message = letterTemplate(templateVersion).compose(fields, salutation === null ? null : printable(salutation));
  return {
    ...message,
    subject: printable(message.subject),
    greeting: printable(message.greeting),
    closing: printable(message.closing),
    blocks: message.blocks.map((block): MessageBlock => {
      switch (block.kind) {
        case 'heading':
        case 'paragraph':
          return { ...block, text: printable(block.text) };
        case 'list':
          return { ...block, items: block.items.map(printable) };
        case 'contact':
          return {
            ...block,
            name: printable(block.name),
            lines: block.lines.map((line) => ({ label: printable(line.label), value: printable(line.value) })),
          };
      }
    }),
    signatures: message.signatures.map((s) => ({
      name: printable(s.name),
      role: printable(s.role),
      organisation: printable(s.organisation),
    })),
  };
}

/**
 * The address block as the envelope window shows it: "Aan de bewoners van" and the address for a
 * letter to an address, the lines as given (name first) for a personal letter.
 */
export function addressBlockLines(addressee: LetterAddressee): string[] {
  const lines = addressee.addressLines.map(printable).filter((line) => line.length > 0);
  if (addressee.salutation && addressee.salutation.trim()) return lines;
  if (lines[0]?.toLowerCase() === TO_THE_RESIDENTS_OF.toLowerCase()) return lines;
  return [TO_THE_RESIDENTS_OF, ...lines];
}

const isBlank = (value: unknown) => typeof value !== 'string' || printable(value).length === 0;

/**
 * The merge fields that are empty, by path (`incoming.phone`, `whatChanges`, `whatStays[2]`,
 * `signatures.municipality.role`), in a fixed order; [] when the message can be approved. A list
 * with no points is missing as a whole, a blank point by its index. A go-live date that is not a
 * real YYYY-MM-DD date counts as missing too: the letter cannot say it.
 */
export function missingMergeFields(fields: CampaignMessageFields): string[] {
  const missing: string[] = [];
  const f = (fields ?? {}) as Partial<CampaignMessageFields>;
  const text = (path: string, value: unknown) => {
    if (isBlank(value)) missing.push(path);
  };
  const contact = (path: string, value: Partial<OrganisationContact> | undefined) => {
    for (const key of ['name', 'phone', 'email', 'website'] as const) text(`${path}.${key}`, value?.[key]);
  };
  const list = (path: string, value: unknown) => {
    if (!Array.isArray(value) || value.length === 0) {
      missing.push(path);
      return;
    }
    value.forEach((item, index) => text(`${path}[${index}]`, item));
  };

  text('municipality.name', f.municipality?.name);
  contact('municipality.contact', f.municipality?.contact);
  text('district', f.district);
  contact('outgoing', f.outgoing);
  contact('incoming', f.incoming);
  if (typeof f.goLiveDate !== 'string' || !isIsoCalendarDate(f.goLiveDate)) missing.push('goLiveDate');
  list('whatChanges', f.whatChanges);
  list('whatStays', f.whatStays);
  text('whereToAsk', f.whereToAsk);
  for (const who of ['outgoing', 'incoming', 'municipality'] as const) {
    text(`signatures.${who}.name`, f.signatures?.[who]?.name);
    text(`signatures.${who}.role`, f.signatures?.[who]?.role);
  }
  return missing;
}
