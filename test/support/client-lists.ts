import type { AuthenticatedUser } from '../../src/auth/auth.types';

const HEADER = 'clientnummer;voornaam;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;e-mail;doelgroep;toelichting';
const GROUPS = ['jeugd', 'ouderen', 'kwetsbare bewoners', 'overig'];

/**
 * A valid client list as Dutch Excel saves it (UTF-8 with BOM, `;`, CRLF): `count` clients
 * numbered from `first`, each personal field carrying `marker` when given (to look for it later
 * where it must never be).
 */
export function clientList(count: number, { first = 1, marker = 'Jansen' }: { first?: number; marker?: string } = {}): Buffer {
  const lines = [HEADER];
  for (let n = first; n < first + count; n += 1) {
    lines.push(
      [
        `C-${n}`,
        `Anna${marker}`,
        `${marker}${n}`,
        `${1 + (n % 28)}-${1 + (n % 12)}-19${40 + (n % 60)}`,
        `Straat${marker}`,
        `${1 + (n % 300)}`,
        `30${String(10 + (n % 89)).padStart(2, '0')} AB`,
        'Rotterdam',
        '010-1234567',
        `client${n}@example.org`,
        GROUPS[n % GROUPS.length],
        `Toelichting ${marker}`,
      ].join(';'),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** A provider user as the auth guard makes it. */
export function providerUser(organisation: string, actingFor = [organisation]): AuthenticatedUser {
  return { id: `${organisation}-user`, username: `${organisation}-user`, role: 'provider', organisation, actingFor };
}
