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
