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
    ['auditor', 'buurtkracht', 'an auditor must belong to a municipality; buurtkracht is a provider'],
  ] as const)('refuses a %s of %s', async (role, organisation, message) => {
    await expect(tokens.createUser(`user-${role}-${organisation}`, role, organisation)).rejects.toThrow(message);
  });

  it('and so does the database, whoever inserts', async () => {
    await expect(
      db.app.query("INSERT INTO users (id, username, role, organisation) VALUES (gen_random_uuid(), 'sneaky', 'auditor', 'buurtkracht')"),
    ).rejects.toThrow('an auditor must belong to a municipality');
  });

  describe('a user made before auditors had to belong to a municipality', () => {
    it('is refused at sign-in, saying why, with a valid token', async () => {
      await db.admin.transaction(async (manager) => {
        await manager.query('ALTER TABLE users DISABLE TRIGGER users_role_fits_organisation');
        await manager.query(
          "INSERT INTO users (id, username, role, organisation) VALUES ('6f1c2a6e-8c4f-4d59-9a55-0b8f3d0c9a11', 'old-auditor', 'auditor', 'buurtkracht')",
        );
        await manager.query('ALTER TABLE users ENABLE TRIGGER users_role_fits_organisation');
      });
      const token = await tokens.createToken('6f1c2a6e-8c4f-4d59-9a55-0b8f3d0c9a11', 'old');
      expect(await tokens.signIn(token)).toEqual({
        status: 'refused',
        reason: 'an auditor must belong to a municipality; this user belongs to a provider',
      });
      expect(await tokens.authenticate(token)).toBeUndefined();
      expect((await tokens.list()).find((row) => row.user === 'old-auditor')?.status).toBe('refused');
    });
  });

  describe('expiry', () => {
    it('accepts a token until its expiry, then says it has expired', async () => {
      const id = await tokens.createUser('expiring-user', 'coordinator', 'enschede');
      const later = await tokens.createToken(id, 'later', { expiresAt: new Date(Date.now() + 60_000) });
      const past = await tokens.createToken(id, 'past', { expiresAt: new Date(Date.now() - 1) });
      expect((await tokens.signIn(later)).status).toBe('valid');
      expect(await tokens.signIn(past)).toEqual({ status: 'expired' });
      expect(await tokens.authenticate(past)).toBeUndefined();
    });
  });

  describe('revocation', () => {
    it('by the token itself: refused from the next look-up on, nothing cached', async () => {
      const id = await tokens.createUser('revoked-by-token', 'provider', 'buurtkracht');
      const token = await tokens.createToken(id, 'laptop');
      const other = await tokens.createToken(id, 'phone');
      expect(await tokens.authenticate(token)).toBeDefined();
      expect(await tokens.revoke({ token })).toBe(1);
      expect(await tokens.signIn(token)).toEqual({ status: 'invalid' });
      expect(await tokens.authenticate(other)).toBeDefined();
      expect(await tokens.revoke({ token })).toBe(0);
    });

    it("by user, all of its tokens or those with a label, never another user's", async () => {
      const id = await tokens.createUser('revoked-by-user', 'provider', 'welzijn-maas');
      const [laptop, phone, tablet] = await Promise.all(['laptop', 'phone', 'phone'].map((label) => tokens.createToken(id, label)));
      const bystander = await tokens.createToken(await tokens.createUser('bystander-user', 'provider', 'welzijn-maas'), 'phone');
      expect(await tokens.revoke({ username: 'revoked-by-user', label: 'phone' })).toBe(2);
      expect(await tokens.authenticate(phone)).toBeUndefined();
      expect(await tokens.authenticate(tablet)).toBeUndefined();
      expect(await tokens.authenticate(laptop)).toBeDefined();
      expect(await tokens.revoke({ username: 'revoked-by-user' })).toBe(1);
      expect(await tokens.authenticate(laptop)).toBeUndefined();
      expect(await tokens.authenticate(bystander)).toBeDefined();
      await expect(tokens.revoke({ username: 'nobody' })).rejects.toThrow('user nobody does not exist');
    });

    it('is final: the application role can set revoked_at and nothing else, and cannot undo it', async () => {
      const [row] = await db.app.query("SELECT token_hash FROM api_tokens WHERE revoked_at IS NOT NULL LIMIT 1");
      await expect(db.app.query('UPDATE api_tokens SET revoked_at = NULL WHERE token_hash = $1', [row.token_hash])).rejects.toThrow(
        'a revoked token stays revoked',
      );
      await expect(db.admin.query('UPDATE api_tokens SET revoked_at = NULL WHERE token_hash = $1', [row.token_hash])).rejects.toThrow(
        'a revoked token stays revoked',
      );
      await expect(db.app.query("UPDATE api_tokens SET expires_at = NULL, label = 'x'")).rejects.toThrow('permission denied');
      await expect(db.app.query('DELETE FROM api_tokens')).rejects.toThrow('permission denied');
    });
  });

  it('lists every token with user, role, organisation, label, created, expires, revoked and status, never the token', async () => {
    const id = await tokens.createUser('listed-user', 'auditor', 'enschede');
    const expiresAt = new Date('2030-01-01T00:00:00.000Z');
    const token = await tokens.createToken(id, 'listed', { expiresAt });
    const listing = await tokens.list();
    expect(JSON.stringify(listing)).not.toContain(token);
    expect(JSON.stringify(listing)).not.toMatch(/ovd_|[0-9a-f]{64}/);
    expect(listing.find((row) => row.user === 'listed-user')).toEqual({
      user: 'listed-user', role: 'auditor', organisation: 'enschede', label: 'listed',
      created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), expires: expiresAt.toISOString(), revoked: null, status: 'valid',
    });
    expect(listing.find((row) => row.user === 'revoked-by-token' && row.label === 'laptop')).toMatchObject({
      revoked: expect.stringMatching(/^\d{4}-/), status: 'revoked',
    });
    expect(listing.find((row) => row.label === 'past')?.status).toBe('expired');
  });
});
