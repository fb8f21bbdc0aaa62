/** A token as `TokensService.createToken` makes it: `ovd_` and 32 random bytes in base64url (43 characters). */
export const TOKEN_PATTERN = /^ovd_[A-Za-z0-9_-]{43}$/;

/** RFC 6750, section 2.1: `credentials = "Bearer" 1*SP b64token`, here with exactly one space. */
const BEARER_CREDENTIALS = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * What an `Authorization` header holds, read strictly: the scheme `Bearer` in any case,
 * exactly one space and one token, nothing before or after (`malformed` otherwise; no header
 * is `missing`). A well-formed header whose token is not in this service's format is
 * `invalid` without a look-up.
 */
export type BearerHeader =
  | { kind: 'missing' }
  | { kind: 'malformed' }
  | { kind: 'invalid' }
  | { kind: 'token'; token: string };

export function parseBearer(header: string | string[] | undefined): BearerHeader {
  if (header === undefined || header === '') return { kind: 'missing' };
  if (typeof header !== 'string') return { kind: 'malformed' };
  const match = BEARER_CREDENTIALS.exec(header);
  if (!match) return { kind: 'malformed' };
  return TOKEN_PATTERN.test(match[1]) ? { kind: 'token', token: match[1] } : { kind: 'invalid' };
}
