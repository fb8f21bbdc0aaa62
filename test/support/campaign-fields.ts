import { CampaignMessageFields } from '../../src/campaigns/campaign-message';
import { dutchDate } from '../../src/campaigns/letters/dutch-dates';
import { printable } from '../../src/campaigns/letters/letter-template';

/** Every merge field's value, as the message prints it. */
export function mergeFieldValues(f: CampaignMessageFields): string[] {
  const contact = (c: CampaignMessageFields['incoming']) => [c.name, c.phone, c.email, c.website];
  return [
    f.municipality.name,
    ...contact(f.municipality.contact),
    f.district,
    ...contact(f.outgoing),
    ...contact(f.incoming),
    dutchDate(f.goLiveDate),
    ...f.whatChanges,
    ...f.whatStays,
    f.whereToAsk,
    ...Object.values(f.signatures).flatMap((s) => [s.name, s.role]),
  ].map(printable);
}

/** The message fields of a campaign as a coordinator sends them (POST …/campaigns), for Feijenoord's provider change. */
export function sampleCampaignFields(overrides: Record<string, unknown> = {}) {
  return {
    municipality: {
      name: 'Gemeente Rotterdam',
      contact: { name: 'Gemeente Rotterdam', phone: '14 010', email: 'welzijn@rotterdam.example', website: 'https://www.rotterdam.example' },
    },
    outgoing: { name: 'Welzijn Maas', phone: '010 123 45 67', email: 'info@welzijnmaas.example', website: 'https://welzijnmaas.example' },
    incoming: { name: 'Buurtkracht', phone: '010 765 43 21', email: 'info@buurtkracht.example', website: 'https://buurtkracht.example' },
    whatChanges: ['U krijgt een nieuw aanspreekpunt.'],
    whatStays: ['De activiteiten in het buurthuis gaan door.'],
    whereToAsk: 'Bel of mail Buurtkracht, of loop binnen bij het buurthuis.',
    signatures: {
      outgoing: { name: 'J. de Vries', role: 'directeur' },
      incoming: { name: 'A. Yılmaz', role: 'directeur' },
      municipality: { name: 'K. Bakker', role: 'wethouder' },
    },
    ...overrides,
  };
}

/** The message fields as a campaign holds them: the sample, with the district and go-live the handover gives. */
export function campaignMessageFields(goLiveDate: string, district = 'Feijenoord'): CampaignMessageFields {
  return { ...(sampleCampaignFields() as Omit<CampaignMessageFields, 'district' | 'goLiveDate'>), district, goLiveDate };
}
