import { DateTime } from 'luxon';

const AMSTERDAM = 'Europe/Amsterdam';
/** Contracts run up to 10 years; no token needs to outlive that. */
const MAX_DAYS = 3_660;

/**
 * When a new token expires, from `token:create`'s options: `--expires-in 90d` (or `12h`) from
 * now, or `--expires 2027-01-01` (the start of that day, Europe/Amsterdam; a date and time
 * with or without offset also works, without one it is Amsterdam time). Neither: undefined,
 * the token lasts until revoked. Throws a message naming the option when the value is not
 * understood, not in the future, or more than 10 years ahead.
 */
export function tokenExpiry(
  options: { expiresIn?: string; expires?: string },
  now: Date = new Date(),
): Date | undefined {
  const { expiresIn, expires } = options;
  if (expiresIn !== undefined && expires !== undefined) throw new Error('give --expires-in or --expires, not both');
  let at: Date;
  if (expiresIn !== undefined) {
    const match = /^([1-9]\d{0,5})([dh])$/.exec(expiresIn);
    if (!match) throw new Error('--expires-in must be a number of days or hours, e.g. 90d or 12h');
    const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
    at = new Date(now.getTime() + hours * 3_600_000);
  } else if (expires !== undefined) {
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(expires)
      ? DateTime.fromISO(expires, { zone: AMSTERDAM }).startOf('day')
      : /^\d{4}-\d{2}-\d{2}T/.test(expires)
        ? DateTime.fromISO(expires, { zone: AMSTERDAM })
        : undefined;
    if (!parsed?.isValid) throw new Error('--expires must be a real date as YYYY-MM-DD (or an ISO 8601 date and time)');
    at = parsed.toJSDate();
    if (at.getTime() <= now.getTime()) throw new Error('--expires must be in the future');
  } else {
    return undefined;
  }
  if (at.getTime() > now.getTime() + MAX_DAYS * 86_400_000) throw new Error('a token may last at most 10 years');
  return at;
}
