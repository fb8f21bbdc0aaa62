import { CampaignMessageFields, LetterAddressee } from '../campaign-message';

/**
 * A fictional addressee for previews: the street, number and postcode are made up (the postcode
 * range 9999 is not in use), so a preview never shows a resident's address.
 */
export const SAMPLE_ADDRESSEE: LetterAddressee = {
  recipientId: 'address:voorbeeld',
  addressLines: ['Voorbeeldstraat 1 A', '9999 ZZ Voorbeeldstad'],
  postcode: '9999 ZZ',
  houseNumber: 1,
  addition: 'A',
  salutation: '',
};

/** Fictional merge fields in the shape of the Rotterdam 2022 handover, for previews, tests and benchmarks. */
export const SAMPLE_MESSAGE_FIELDS: CampaignMessageFields = {
  municipality: {
    name: 'Gemeente Rotterdam',
    contact: {
      name: 'Gemeente Rotterdam, team Welzijn',
      phone: '14 010',
      email: 'welzijn@rotterdam.example',
      website: 'www.rotterdam.example/welzijn',
    },
  },
  district: 'Feijenoord',
  outgoing: {
    name: 'Welzijn Zuid',
    phone: '010 123 45 67',
    email: 'info@welzijnzuid.example',
    website: 'www.welzijnzuid.example',
  },
  incoming: {
    name: 'Buurtwerk Maasoever',
    phone: '010 765 43 21',
    email: 'vragen@maasoever.example',
    website: 'www.maasoever.example',
  },
  goLiveDate: '2022-06-01',
  whatChanges: [
    'U krijgt hulp van medewerkers van Buurtwerk Maasoever.',
    'Het telefoonnummer voor vragen over welzijn is nieuw.',
    'Sommige activiteiten krijgen een andere dag of plek.',
  ],
  whatStays: [
    'De hulp is gratis.',
    'Het buurthuis aan het Afrikaanderplein blijft open.',
    'Krijgt u nu hulp? Dan gaat die gewoon door.',
  ],
  whereToAsk: 'Kom langs bij het buurthuis of bel Buurtwerk Maasoever. Dat kan op werkdagen van 9.00 tot 17.00 uur.',
  signatures: {
    outgoing: { name: 'Anouk de Vries', role: 'directeur' },
    incoming: { name: 'Sem Öztürk', role: 'bestuurder' },
    municipality: { name: 'Noël IJzerman', role: 'wethouder Zorg en Welzijn' },
  },
};
