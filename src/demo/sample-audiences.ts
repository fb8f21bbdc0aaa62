import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/*
 * Fictional audiences of the Feijenoord handover, as Dutch Excel saves them (UTF-8 with BOM, `;`,
 * CRLF): addresses on made-up streets with real-looking Rotterdam postcodes (3071–3075), and
 * e-mail subscribers at the reserved domains example.org, example.net and example.com (RFC 2606),
 * a third of them with an address of the list.
 */

const STREET_STEMS = ['Kreël', 'Lindenhof', 'Zwaluw', 'Meerkoet', 'Hazelaar', 'Vlieder', 'Kievit', 'Rozenhaag', 'Walnoot', 'Duinroos'];
const STREET_KINDS = ['straat', 'laan', 'kade', 'plein', 'hof'];
/** Letters PostNL uses in postcodes (no F, I, O, Q, U, Y), so no pair is SA, SD or SS either by accident. */
const POSTCODE_LETTERS = 'ABCEGHJKLMNPRTVWXZ';
const ADDRESSES_PER_STREET = 400;
const ADDRESSES_PER_POSTCODE = 13;
const FIRST_NAMES = ['Anna', 'Mohamed', 'Fatma', 'Jan', 'Sanne', 'Kees', 'Noor', 'Daan', 'Priya', 'Wim'];
const LAST_NAMES = ['de Vries', 'Jansen', 'Yılmaz', 'Bakker', 'El Amrani', 'Visser', 'Smit', 'de Boer', 'Kreëlman', 'Oğuz'];
const DOMAINS = ['example.org', 'example.net', 'example.com'];

const ADDRESS_HEADER = 'straat;huisnummer;toevoeging;postcode;woonplaats';
const SUBSCRIBER_HEADER = `e-mail;naam;${ADDRESS_HEADER}`;

export interface SampleAddress {
  street: string;
  houseNumber: number;
  addition: string;
  postcode: string;
}

/** The n-th address (from 0) of the fictional district: unique by postcode, house number and addition. */
export function sampleAddress(n: number, marker = ''): SampleAddress {
  const street = Math.floor(n / ADDRESSES_PER_STREET);
  const stem = STREET_STEMS[street % STREET_STEMS.length];
  const kind = STREET_KINDS[Math.floor(street / STREET_STEMS.length) % STREET_KINDS.length];
  const round = Math.floor(street / (STREET_STEMS.length * STREET_KINDS.length));
  const onStreet = n % ADDRESSES_PER_STREET;
  // Flats: four additions (A–D) on every fifth number; otherwise one address per number.
  const houseNumber = 1 + onStreet;
  const block = Math.floor(n / ADDRESSES_PER_POSTCODE);
  const pairs = POSTCODE_LETTERS.length * POSTCODE_LETTERS.length;
  // 20,000 addresses fill 3071–3075; more go on to 3076 and up.
  const digits = 3071 + Math.floor(block / pairs);
  const pair = block % pairs;
  const letters = POSTCODE_LETTERS[Math.floor(pair / POSTCODE_LETTERS.length)] + POSTCODE_LETTERS[pair % POSTCODE_LETTERS.length];
  return {
    street: `${stem}${kind}${round > 0 ? ` ${round + 1}` : ''}${marker}`,
    houseNumber,
    addition: houseNumber % 5 === 0 ? 'ABCD'[Math.floor(onStreet / 5) % 4] : '',
    postcode: `${digits} ${letters}`,
  };
}

const withBom = (lines: string[]) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
const addressCells = (a: SampleAddress) => [a.street, String(a.houseNumber), a.addition, a.postcode, 'Rotterdam'];

/** `count` addresses of the fictional district. With `marker`, every street carries it. */
export function sampleAddressList(count: number, { marker = '' }: { marker?: string } = {}): Buffer {
  const lines = [ADDRESS_HEADER];
  for (let n = 0; n < count; n++) lines.push(addressCells(sampleAddress(n, marker)).join(';'));
  return withBom(lines);
}

/**
 * `count` e-mail subscribers numbered from `first`; every third one gives an address of the
 * district. With `marker`, every e-mail address, name and street carries it.
 */
export function sampleSubscriberList(count: number, { first = 1, marker = '' }: { first?: number; marker?: string } = {}): Buffer {
  const lines = [SUBSCRIBER_HEADER];
  for (let n = first; n < first + count; n++) {
    const pick = <T>(list: T[]) => list[n % list.length];
    const name = `${pick(FIRST_NAMES)} ${LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length]}${marker}`;
    const email = `bewoner${String(n).padStart(5, '0')}${marker.toLowerCase()}@${pick(DOMAINS)}`;
    const address = n % 3 === 0 ? addressCells(sampleAddress((n * 7) % 20_000, marker)) : ['', '', '', '', ''];
    lines.push([email, name, ...address].join(';'));
  }
  return withBom(lines);
}

if (require.main === module) {
  const [addressesFile, subscribersFile, addressCount = '20000', subscriberCount = '3000'] = process.argv.slice(2);
  const addresses = Number(addressCount);
  const subscribers = Number(subscriberCount);
  if (!addressesFile || !subscribersFile || !(addresses >= 1 && addresses <= 100_000) || !(subscribers >= 1 && subscribers <= 100_000)) {
    process.stderr.write('usage: npm run campaigns:sample-audiences -- <addresses.csv> <subscribers.csv> [addresses 1..100000, 20000] [subscribers 1..100000, 3000]\n');
    process.exit(2);
  }
  writeFileSync(resolve(addressesFile), sampleAddressList(addresses));
  writeFileSync(resolve(subscribersFile), sampleSubscriberList(subscribers));
  process.stdout.write(`${addresses} addresses in ${addressesFile}, ${subscribers} subscribers in ${subscribersFile} (fictional, Feijenoord)\n`);
}
