import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TokensService } from '../../src/auth/tokens.service';
import { createTestUser } from '../support/access';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/**
 * Who reaches which audit trail, what the export says about a chain that was tampered with,
 * and how bearer tokens are read, expire and are revoked, over HTTP.
 */
describe('audit reach, tamper-evident exports and bearer tokens over HTTP', () => {
  let api: ListeningApi;
  let tokens: TokensService;
  const goLiveDate = goLiveInDays(150);
  const rotterdam = `rotterdam.feijenoord.${goLiveDate}`;
  const enschede = `enschede.centrum.${goLiveDate}`;
  /** An Enschede handover whose first event is changed behind the triggers' back. */
  const tampered = `enschede.noord.${goLiveDate}`;

  beforeAll(async () => {
    api = await startApi('audit-access-e2e', [
      ['rotterdam', 'coordinator', 'rotterdam'],
      ['enschede', 'coordinator', 'enschede'],
      ['auditor', 'auditor', 'rotterdam'],
      ['enschedeAuditor', 'auditor', 'enschede'],
      ['provider', 'provider', 'welzijn-maas'],
    ]);
    tokens = new TokensService(api.db.app);

    const plan = (municipality: string, district: string, outgoing: string, incoming: string) => ({
      municipality, district, outgoingProvider: outgoing, incomingProvider: incoming, goLiveDate,
    });
    await post('/transitions', plan('rotterdam', 'feijenoord', 'welzijn-maas', 'buurtkracht'), 'rotterdam').expect(201);
    await post('/transitions', plan('enschede', 'centrum', 'stadsdeelwerk', 'twentse-wijkalliantie'), 'enschede').expect(201);
    await post('/transitions', plan('enschede', 'noord', 'stadsdeelwerk', 'twentse-wijkalliantie'), 'enschede').expect(201);
    await post(`/transitions/${tampered}/tasks/kick-off/complete`, { note: 'Held' }, 'enschede').expect(200);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, who: string) => request(api.app.getHttpServer()).get(path).set(bearer(api.users[who].token));
  const post = (path: string, payload: object, who: string) =>
    request(api.app.getHttpServer()).post(path).set(bearer(api.users[who].token)).send(payload);

  /** What someone with superuser rights could do: switch the triggers off and edit. */
  async function behindTheTriggersBack(sql: string, params: unknown[]): Promise<void> {
    await api.db.admin.transaction(async (manager) => {
      await manager.query('ALTER TABLE events DISABLE TRIGGER USER');
      await manager.query(sql, params);
      await manager.query('ALTER TABLE events ENABLE TRIGGER USER');
    });
  }

  describe("audit reach: coordinators and auditors, each within their own municipality", () => {
    it.each(['rotterdam', 'auditor'])("%s may not verify another municipality's stream", async (who) => {
      const response = await get(`/audit/verify?streamId=${enschede}`, who).expect(403);
      expect(response.body.message).toBe('the handover belongs to another municipality');
      await get(`/audit/verify?streamId=${rotterdam}`, who).expect(200);
    });

    it('answers 404 for a stream that is no handover', async () => {
      await get(`/audit/verify?streamId=rotterdam.delfshaven.${goLiveDate}`, 'rotterdam').expect(404);
    });

    it("verifies every stream of the caller's municipality, and only those", async () => {
      const count = async (municipality: string) =>
        (await api.db.app.query('SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1', [`${municipality}.%`]))[0].n;
      expect((await get('/audit/verify', 'rotterdam').expect(200)).body).toMatchObject({
        intact: true, scope: { municipality: 'rotterdam', streamId: null }, streams: 1, events: await count('rotterdam'),
      });
      expect((await get('/audit/verify', 'auditor').expect(200)).body).toMatchObject({ scope: { municipality: 'rotterdam' }, streams: 1 });
      expect((await get('/audit/verify', 'enschede').expect(200)).body).toMatchObject({
        intact: true, scope: { municipality: 'enschede' }, streams: 2, events: await count('enschede'),
      });
    });

    it("binds an auditor to its municipality's handovers: list, detail, export", async () => {
      const list = await get('/transitions', 'auditor').expect(200);
      expect(list.body.items.map((t: { transitionId: string }) => t.transitionId)).toEqual([rotterdam]);
      await get('/transitions?municipality=rotterdam', 'auditor').expect(200);
      await get('/transitions?municipality=enschede', 'auditor').expect(403);
      await get(`/transitions/${rotterdam}`, 'auditor').expect(200);
      await get(`/transitions/${enschede}`, 'auditor').expect(403);
      await get(`/transitions/${rotterdam}/audit`, 'auditor').expect(200);
      for (const format of ['json', 'csv']) {
        const refused = await get(`/transitions/${enschede}/audit?format=${format}`, 'auditor').expect(403);
        expect(refused.body.message).toBe('the handover belongs to another municipality');
      }
      const theirs = await get('/transitions', 'enschedeAuditor').expect(200);
      expect(theirs.body.items.map((t: { municipality: string }) => t.municipality)).toEqual(['enschede', 'enschede']);
    });

    it('keeps auditors off /me: they have no tasks and no inbox', async () => {
      await get('/me/tasks', 'auditor').expect(403);
      await get('/me/notifications', 'auditor').expect(403);
      await get('/me/notifications', 'provider').expect(200);
      await get('/me/notifications', 'rotterdam').expect(200);
    });

    it('refuses an auditor of a provider, made before that was refused, on every route', async () => {
      const id = randomUUID();
      await api.db.admin.transaction(async (manager) => {
        await manager.query('ALTER TABLE users DISABLE TRIGGER users_role_fits_organisation');
        await manager.query("INSERT INTO users (id, username, role, organisation) VALUES ($1, 'old-auditor', 'auditor', 'buurtkracht')", [id]);
        await manager.query('ALTER TABLE users ENABLE TRIGGER users_role_fits_organisation');
      });
      const token = await tokens.createToken(id, 'old');
      for (const path of ['/transitions', `/transitions/${rotterdam}`, `/transitions/${rotterdam}/audit`, '/audit/verify', '/templates']) {
        const response = await request(api.app.getHttpServer()).get(path).set(bearer(token)).expect(403);
        expect(response.body.message).toBe('an auditor must belong to a municipality; this user belongs to a provider: ask for a new user');
      }
    });
  });

  describe('the export recomputes the chain: tampering is reported, never hidden', () => {
    let keptDigest: string;

    beforeAll(async () => {
      const before = await get(`/transitions/${tampered}/audit`, 'enschede').expect(200);
      expect(before.headers['x-audit-chain']).toBe('intact');
      expect(before.body.verification).toMatchObject({ intact: true, firstBroken: null });
      keptDigest = before.body.digest.headHash;
      const [first] = before.body.events;
      await behindTheTriggersBack(
        `UPDATE events SET data = jsonb_set(data, '{outgoingProvider}', '"buurtkracht"') WHERE global_position = $1`,
        [first.globalPosition],
      );
    });

    it('as JSON: 200 with verification intact false, the first broken event, a recomputed digest and a header', async () => {
      const response = await get(`/transitions/${tampered}/audit`, 'enschede').expect(200);
      expect(response.headers['x-audit-chain']).toBe('broken');
      const { events, verification, digest } = response.body;
      expect(verification).toMatchObject({
        intact: false,
        firstBroken: { globalPosition: events[0].globalPosition, streamId: tampered, streamVersion: 1, reason: expect.stringContaining('changed') },
        storedHeadHash: keptDigest,
      });
      expect(digest.headHash).not.toBe(keptDigest);
      expect(digest.events).toBe(events.length);
      expect(events[0].data.outgoingProvider).toBe('buurtkracht');
    });

    it('as CSV: the line before the digest says broken, where and why; the digest is recomputed', async () => {
      const response = await get(`/transitions/${tampered}/audit?format=csv`, 'enschede').expect(200);
      expect(response.headers['x-audit-chain']).toBe('broken');
      const lines = String(response.text).trimEnd().split('\r\n');
      expect(lines[lines.length - 2]).toMatch(
        new RegExp(`^verification;broken;global_position;\\d+;stream_version;1;reason;content does not match its hash: the event was changed;stored_head_hash;${keptDigest}$`),
      );
      expect(lines[lines.length - 1]).toMatch(/^digest;SHA-256;[0-9a-f]{64};events;\d+$/);
      expect(lines[lines.length - 1]).not.toContain(keptDigest);
    });

    it("reaches the municipality's own verification, not another's", async () => {
      expect((await get('/audit/verify', 'enschede').expect(200)).body).toMatchObject({
        intact: false, firstBroken: { streamId: tampered, streamVersion: 1 },
      });
      expect((await get('/audit/verify', 'rotterdam').expect(200)).body).toMatchObject({ intact: true });
      expect((await get(`/transitions/${enschede}/audit`, 'enschede').expect(200)).headers['x-audit-chain']).toBe('intact');
    });
  });

  describe('bearer tokens', () => {
    const withHeader = (value: string) => request(api.app.getHttpServer()).get('/templates').set('authorization', value);

    it('takes exactly "Bearer <token>", the scheme in any case', async () => {
      const { token } = api.users.rotterdam;
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) await withHeader(`${scheme} ${token}`).expect(200);
    });

    it.each([
      ['a word after a valid token', (t: string) => `Bearer ${t} extra`],
      ['a valid token twice', (t: string) => `Bearer ${t} ${t}`],
      ['two spaces', (t: string) => `Bearer  ${t}`],
      ['a tab', (t: string) => `Bearer\t${t}`],
      ['a trailing comma', (t: string) => `Bearer ${t},`],
      ['no scheme', (t: string) => t],
      ['another scheme', (t: string) => `Token ${t}`],
    ])('refuses %s with 401', async (_case, header) => {
      const response = await withHeader(header(api.users.rotterdam.token)).expect(401);
      expect(response.body.message).toBe('the authorization header must be "Bearer <token>", with one space and one token');
    });

    it('refuses a token that has expired', async () => {
      const { id } = api.users.rotterdam.user;
      const expired = await tokens.createToken(id, 'expired', { expiresAt: new Date(Date.now() - 1000) });
      expect((await withHeader(`Bearer ${expired}`).expect(401)).body.message).toBe('the bearer token has expired');
      const expiresAt = new Date(Date.now() + 3000);
      const soon = await tokens.createToken(id, 'soon', { expiresAt });
      await withHeader(`Bearer ${soon}`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 100));
      expect((await withHeader(`Bearer ${soon}`).expect(401)).body.message).toBe('the bearer token has expired');
    });

    it('refuses a revoked token from the very next request', async () => {
      const user = await createTestUser(api.db.app, 'coordinator', 'rotterdam');
      for (let i = 0; i < 3; i++) await withHeader(`Bearer ${user.token}`).expect(200);
      expect(await tokens.revoke({ username: user.user.username })).toBe(1);
      expect((await withHeader(`Bearer ${user.token}`).expect(401)).body.message).toBe('the bearer token is not valid');
      await get(`/transitions/${rotterdam}/audit`, 'rotterdam').expect(200);
    });
  });
});
