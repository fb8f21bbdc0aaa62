import { TokensService } from '../../src/auth/tokens.service';
import { seedOrganisations } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('users and bearer tokens on a real PostgreSQL', () => {
  let db: TestDatabase;
  let tokens: TokensService;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOrganisations(db.admin);
    tokens = new TokensService(db.app);
  });
  afterAll(() => db?.drop());

  it('authenticates a token as its user, acting for the consortia its organisation belongs to', async () => {
    const id = await tokens.createUser('member-user', 'provider', 'jongerenpunt');
    const token = await tokens.createToken(id, 'test');
    expect(token).toMatch(/^ovd_[A-Za-z0-9_-]{43}$/);
    expect(await tokens.authenticate(token)).toEqual({
      id, username: 'member-user', role: 'provider', organisation: 'jongerenpunt', actingFor: ['jongerenpunt', 'twentse-wijkalliantie'],
    });
    expect(await tokens.authenticate(`${token}x`)).toBeUndefined();
  });

  it('stores only the hash of a token', async () => {
    const token = await tokens.createToken(await tokens.createUser('hashed-user', 'auditor', 'rotterdam'), 'test');
    const rows = await db.admin.query('SELECT token_hash FROM api_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.every((row: { token_hash: string }) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it.each([
    ['provider', 'rotterdam', 'a provider must belong to a provider; rotterdam is a municipality'],
    ['coordinator', 'buurtkracht', 'a coordinator must belong to a municipality; buurtkracht is a provider'],
    ['provider', 'atlantis', 'organisation atlantis does not exist'],
  ] as const)('refuses a %s of %s', async (role, organisation, message) => {
    await expect(tokens.createUser(`user-${role}-${organisation}`, role, organisation)).rejects.toThrow(message);
  });
});
