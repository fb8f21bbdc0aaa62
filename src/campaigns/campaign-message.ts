/**
 * What a campaign's letter and e-mail say, as merge fields: facts about the handover and its
 * organisations, never anything about a resident. The wording lives in the versioned template
 * (src/campaigns/letters/); these are the values it is filled with.
 */
export interface OrganisationContact {
  name: string;
  phone: string;
  email: string;
  website: string;
}

export interface CampaignMessageFields {
  municipality: { name: string; contact: OrganisationContact };
  /** The district's name as residents know it, e.g. "Feijenoord". */
  district: string;
  outgoing: OrganisationContact;
  incoming: OrganisationContact;
  /** YYYY-MM-DD */
  goLiveDate: string;
  /** Short B1 sentences, one per point. */
  whatChanges: string[];
  whatStays: string[];
  /** Where residents can ask their questions (a sentence). */
  whereToAsk: string;
  /** Who signs: one person per organisation, name and function. */
  signatures: { outgoing: Signatory; incoming: Signatory; municipality: Signatory };
}

export interface Signatory {
  name: string;
  role: string;
}

/** One letter's addressee: "Aan de bewoners van" an address, or a client by name (a personal letter). */
export interface LetterAddressee {
  /** Ledger id of the recipient (no personal data). */
  recipientId: string;
  /** The address block, line by line, as the envelope window shows it. */
  addressLines: string[];
  /** For sorting the print run: postcode (`1234 AB`), then house number, then addition. */
  postcode: string;
  houseNumber: number;
  addition: string;
  /** A personal letter to a client in the handover's transfers opens with the name. */
  salutation: string;
}
