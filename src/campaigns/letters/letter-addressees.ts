import type { DataSource, EntityManager } from 'typeorm';
import type { ClientVault } from '../../clients/vault/client-vault';
import type { PostalAddress } from '../audiences/address-fields';
import type { SubscriberVault } from '../audiences/subscriber-vault';
import type { LetterAddressee } from '../campaign-message';
import { parseRecipientId } from '../campaign-recipient';
import { sortForPrint } from './letter-pdf';


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
    private readonly subscribers: Pick<SubscriberVault, 'open'>,
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
      const found = new Map(rows.map((row) => [row.addressId, row]));
      for (const addressId of byKind.address) {
        const row = found.get(addressId);
        // Addresses are never deleted: one missing is a defect to see, but must not hold the campaign forever.
        if (!row) skipped.push(`address:${addressId}`);
        else addressees.push(letterTo(`address:${addressId}`, row, null));
      }
    }
    if (byKind.client.length > 0) {
      const clients = await this.clients.personalData(byKind.client);
      for (const pseudonym of byKind.client) {
        const client = clients.get(pseudonym);
        if (!client || client === 'erased') skipped.push(`client:${pseudonym}`);
        else addressees.push(letterTo(`client:${pseudonym}`, clientAddress(client), `${client.firstName} ${client.lastName}`));
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

/** A client's house number as the client list gave it (`12`, `12a`, `12-3`): number and addition apart for sorting. */
function clientAddress(client: { street: string; houseNumber: string; postcode: string; city: string }): PostalAddress {
  const match = /^(\d+)\s*-?\s*(.*)$/.exec(client.houseNumber.trim());
  const { street, postcode, city } = client;
  return { street, postcode, city, houseNumber: match ? Number(match[1]) : 0, addition: match ? match[2] : client.houseNumber };
}

/** PostNL's form: street and number, then postcode, two spaces and the town in capitals. */
function letterTo(recipientId: string, address: PostalAddress, name: string | null): LetterAddressee {
  const number = address.addition ? `${address.houseNumber} ${address.addition}` : `${address.houseNumber}`;
  return {
    recipientId,
    addressLines: [name ?? 'Aan de bewoners van', `${address.street} ${number}`, `${address.postcode}  ${address.city.toUpperCase()}`],
    postcode: address.postcode,
    houseNumber: address.houseNumber,
    addition: address.addition ?? '',
    salutation: name ?? '',
  };
}
