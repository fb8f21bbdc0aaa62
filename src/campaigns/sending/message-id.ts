import addressparser from 'nodemailer/lib/addressparser';

/** The domain of MAIL_FROM's address ("Overdracht <noreply@gemeente.nl>" → "gemeente.nl"). */
export function mailDomainOf(from: string): string {
  const parsed = addressparser(from, { flatten: true }) as { address?: string }[];
  const address = parsed.find((entry) => entry.address)?.address ?? '';
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  if (!address.includes('@') || !/^[a-z0-9.-]+$/.test(domain)) throw new Error('MAIL_FROM has no address with a domain');
  return domain;
}

/**
 * The Message-ID of a campaign's e-mail number `seq`: fixed by campaign and seq alone (no
 * personal data), so a message sent again after a crash carries the same id.
 */
export function campaignMessageId(campaignId: string, seq: number, domain: string): string {
  return `<campaign.${campaignId}.${seq}@${domain}>`;
}
