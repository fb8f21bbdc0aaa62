import { parseBearer } from '../../src/auth/bearer';

describe('reading the Authorization header strictly (RFC 6750)', () => {
  const token = `ovd_${'A1b2-_'.repeat(7)}x`;

  it('takes exactly "Bearer <token>", the scheme in any case', () => {
    expect(token).toHaveLength(47);
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect(parseBearer(`${scheme} ${token}`)).toEqual({ kind: 'token', token });
    }
  });

  it('tells a missing header from a malformed one', () => {
    expect(parseBearer(undefined)).toEqual({ kind: 'missing' });
    expect(parseBearer('')).toEqual({ kind: 'missing' });
  });

  it.each([
    ['a second word after the token', `Bearer ${token} extra`],
    ['a second token', `Bearer ${token} ${token}`],
    ['two spaces', `Bearer  ${token}`],
    ['a tab', `Bearer\t${token}`],
    ['a trailing comma', `Bearer ${token},`],
    ['no scheme', token],
    ['another scheme', `Basic ${token}`],
    ['a scheme glued to the token', `Bearer${token}`],
    ['the scheme alone', 'Bearer'],
    ['a scheme with a trailing space', 'Bearer '],
    ['a leading word', `Token Bearer ${token}`],
    ['a quoted token', `Bearer "${token}"`],
    ['several headers', [`Bearer ${token}`, `Bearer ${token}`]],
  ])('refuses %s', (_case, header) => {
    expect(parseBearer(header)).toEqual({ kind: 'malformed' });
  });

  it.each([
    ['a token in another format', 'Bearer abc.def~ghi'],
    ['a token one character short', `Bearer ${token.slice(0, -1)}`],
    ['a token one character long', `Bearer ${token}x`],
    ['a token with padding', `Bearer ${token}=`],
    ['a token with a character outside base64url', `Bearer ${token.slice(0, -1)}+`],
  ])('finds %s invalid without looking it up', (_case, header) => {
    expect(parseBearer(header)).toEqual({ kind: 'invalid' });
  });
});
