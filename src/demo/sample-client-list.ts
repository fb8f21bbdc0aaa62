const HEADER = 'clientnummer;voornaam;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;e-mail;doelgroep;toelichting';
const GROUPS = ['jeugd', 'ouderen', 'kwetsbare bewoners', 'overig'];
const FIRST_NAMES = ['Anna', 'Mohamed', 'Fatma', 'Jan', 'Sanne', 'Kees', 'Noor', 'Daan'];
const LAST_NAMES = ['de Vries', 'Jansen', 'Yılmaz', 'Bakker', 'El Amrani', 'Visser', 'Smit', 'de Boer'];
const STREETS = ['Beijerlandselaan', 'Groene Hilledijk', 'Putselaan', 'Hillevliet', 'Oranjeboomstraat'];

/**
 * A fictional client list as Dutch Excel saves it (UTF-8 with BOM, `;`, CRLF): `count` clients
 * numbered from `first`. With `marker`, every name, street and note carries it (tests look for
 * it where it must never be).
 */
export function sampleClientList(count: number, { first = 1, marker = '' }: { first?: number; marker?: string } = {}): Buffer {
  const lines = [HEADER];
  for (let n = first; n < first + count; n += 1) {
    const pick = <T>(list: T[]) => list[n % list.length];
    lines.push(
      [
        `C-${n}`,
        `${pick(FIRST_NAMES)}${marker}`,
        `${pick(LAST_NAMES)}${marker}`,
        `${1 + (n % 28)}-${1 + (n % 12)}-19${40 + (n % 60)}`,
        `${pick(STREETS)}${marker}`,
        `${1 + (n % 300)}`,
        `30${String(10 + (n % 89)).padStart(2, '0')} AB`,
        'Rotterdam',
        '010-1234567',
        `client${n}@example.org`,
        pick(GROUPS),
        `Wekelijks huisbezoek${marker}`,
      ].join(';'),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 2000);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    process.stderr.write('usage: npm run -s clients:sample-list -- <1..10000 clients> > clients.csv\n');
    process.exit(2);
  }
  process.stdout.write(sampleClientList(count));
}
