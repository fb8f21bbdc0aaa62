import type { DataSource, EntityManager } from 'typeorm';
import type { ClientVault } from '../../clients/vault/client-vault';
import type { LetterAddressee } from '../campaign-message';
import { parseRecipientId } from '../campaign-recipient';
import { sortForPrint } from './letter-pdf';

/** A postal address as a letter needs it. */
export interface PostalAddress {
  street: string;
  houseNumber: number | string;
  addition: string;
  postcode: string;
  city: string;
}

/** The subscribers' vault as far as letters need it: a fallback letter goes to the address a subscriber gave. */
export interface SubscriberAddresses {
  open(subscriberIds: string[]): Promise<Map<string, { name: string | null; address: PostalAddress | null } | null>>;
}

export interface LedgerLetter {
  recipientId: string;
  seq: number;
}

/**
 * The addressees of a print file's letters, in print order (postcode, house number, addition):
 * an address gets "Aan de bewoners van"; a client (from the client vault) and a subscriber whose
 * e-mail bounced (from the subscribers' vault) get a personal letter. A recipient whose personal
 * data is erased meanwhile is returned as skipped.
 */
export class LetterAddressees {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: Pick<ClientVault, 'personalData'>,
    private readonly subscribers: SubscriberAddresses,
  ) {}

  async resolve(letters: LedgerLetter[], manager: EntityManager = this.dataSource.manager): Promise<{ addressees: LetterAddressee[]; skipped: string[] }> {
    const byKind = { address: [] as string[], client: [] as string[], subscriber: [] as string[] };
    for (const { recipientId } of letters) {
      const { kind, id } = parseRecipientId(recipientId);
      byKind[kind].push(id);
    }
    const addressees: LetterAddressee[] = [];
    const skipped: string[] = [];

    if (byKind.address.length > 0) {
      const rows: Array<PostalAddress & { addressId: string }> = await manager.query(
        `SELECT address_id AS "addressId", street, house_number AS "houseNumber", addition, postcode, city
         FROM resident_addresses WHERE address_id = ANY($1::uuid[])`,
        [byKind.address],
      );
      for (const row of rows) addressees.push(letterTo(`address:${row.addressId}`, row, null));
    }
    if (byKind.client.length > 0) {
      const clients = await this.clients.personalData(byKind.client);
      for (const pseudonym of byKind.client) {
        const client = clients.get(pseudonym);
        if (!client || client === 'erased') skipped.push(`client:${pseudonym}`);
        else addressees.push(letterTo(`client:${pseudonym}`, { ...client, addition: '' }, `${client.firstName} ${client.lastName}`));
      }
    }
    if (byKind.subscriber.length > 0) {
      const subscribers = await this.subscribers.open(byKind.subscriber);
      for (const subscriberId of byKind.subscriber) {
        const subscriber = subscribers.get(subscriberId);
        if (!subscriber?.address) skipped.push(`subscriber:${subscriberId}`);
        else addressees.push(letterTo(`subscriber:${subscriberId}`, subscriber.address, subscriber.name));
      }
    }
    return { addressees: sortForPrint(addressees), skipped };
  }
}

/** PostNL's form: street and number, then postcode, two spaces and the town in capitals. */
function letterTo(recipientId: string, address: PostalAddress, name: string | null): LetterAddressee {
  const houseNumber = Number(address.houseNumber);
  const number = address.addition ? `${address.houseNumber} ${address.addition}` : `${address.houseNumber}`;
  return {
    recipientId,
    addressLines: [name ?? 'Aan de bewoners van', `${address.street} ${number}`, `${address.postcode}  ${address.city.toUpperCase()}`],
    postcode: address.postcode,
    houseNumber: Number.isFinite(houseNumber) ? houseNumber : 0,
    addition: address.addition ?? '',
    salutation: name ?? '',
  };
}
