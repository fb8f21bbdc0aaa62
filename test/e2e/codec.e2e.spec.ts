import { Client } from '@temporalio/client';
import { DataConverter, defaultPayloadConverter, Payload } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { TokensService } from '../../src/auth/tokens.service';
import { decodeAuditStream } from '../../src/codec/decode-audit';
import { fromJson, toJson } from '../../src/codec/payload-json';
import { TEMPORAL_DATA_CONVERTER } from '../../src/temporal/temporal.tokens';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

const UI_ORIGIN = 'http://localhost:8233';
const NAMESPACE = 'default';
const BODY_LIMIT = 64 * 1024;

/**
 * The codec endpoint of the Temporal Web UI: operators decode what the service's codec encoded
 * (a real workflow's history too), nobody else does, browsers only from the UI's origin, hostile
 * bodies are refused by name, and every decode is in the audit trail without its content.
 */
describe('the codec endpoint for the Temporal Web UI (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const transitionId = `rotterdam.feijenoord.${goLiveInDays(150)}`;

  beforeAll(async () => {
    api = await startApi(
      'codec-e2e',
      [
        ['operator', 'operator', 'rotterdam'],
        ['coordinator', 'coordinator', 'rotterdam'],
        ['auditor', 'auditor', 'rotterdam'],
        ['provider', 'provider', 'welzijn-maas'],
      ],
      {
        env: {
          TEMPORAL_NAMESPACE: NAMESPACE,
          TEMPORAL_UI_ORIGINS: `${UI_ORIGIN},https://temporal.example.org`,
          CODEC_BODY_LIMIT_BYTES: String(BODY_LIMIT),
        },
      },
    );
    await request(api.app.getHttpServer())
      .post('/transitions')
      .set('authorization', `Bearer ${api.users.coordinator.token}`)
      .send({
        municipality: 'rotterdam',
        district: 'feijenoord',
        outgoingProvider: 'welzijn-maas',
        incomingProvider: 'buurtkracht',
        goLiveDate: transitionId.split('.')[2],
      })
      .expect(201);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const decode = (body: unknown, who?: string, headers: Record<string, string> = {}) => {
    const call = request(api.app.getHttpServer()).post('/codec/decode').set('x-namespace', NAMESPACE).set(headers);
    if (who) call.set('authorization', `Bearer ${api.users[who].token}`);
    return call.send(body as object);
  };

  /** Encoded by the service's own codecs, as its Temporal client encodes every payload. */
  async function encodeAsTheService(value: unknown): Promise<Payload> {
    const { payloadCodecs = [] } = api.app.get<DataConverter>(TEMPORAL_DATA_CONVERTER);
    let payload = defaultPayloadConverter.toPayload(value);
    for (const codec of payloadCodecs) [payload] = await codec.encode([payload]);
    return payload;
  }

  const decodesIn = async () =>
    api.db.admin.query(`SELECT stream_id, type, data, metadata FROM events WHERE type = 'PayloadsDecoded' ORDER BY global_position`);

  describe('round trip', () => {
    it("decodes for an operator what the service's codec encoded, in order, and records the decode without its content", async () => {
      const note = `Marker ${randomUUID()}`;
      const encrypted = [await encodeAsTheService({ note }), await encodeAsTheService(42)];
      expect(Buffer.from(encrypted[0].data!).toString('utf8')).not.toContain('Marker');
      const correlationId = randomUUID();
      const before = (await decodesIn()).length;

      const response = await decode({ payloads: encrypted.map(toJson) }, 'operator', { 'x-correlation-id': correlationId }).expect(200);
      const decoded = (response.body.payloads as Array<{ metadata: Record<string, string>; data: string }>).map(fromJson);
      expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([{ note }, 42]);

      const records = await decodesIn();
      expect(records).toHaveLength(before + 1);
      const record = records[records.length - 1];
      expect([decodeAuditStream(new Date(Date.now() - 60_000)), decodeAuditStream(new Date())]).toContain(record.stream_id);
      expect(record.data).toEqual({ namespace: NAMESPACE, payloads: 2 });
      expect(record.metadata).toMatchObject({
        actor: { user: api.users.operator.user.username, organisation: 'rotterdam', role: 'operator' },
        correlationId,
      });
      const [{ leaks }] = await api.db.admin.query('SELECT count(*)::int AS leaks FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1', [
        `%${note}%`,
      ]);
      expect(leaks).toBe(0);
    });

    it("decodes a real workflow's history as the UI reads it from Temporal", async () => {
      const client = api.app.get(Client);
      const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId: transitionId } });
      const input = history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads! as Payload[];
      expect(Buffer.from(input[0].metadata!.encoding!).toString()).toBe('binary/encrypted');

      const response = await decode({ payloads: input.map(toJson) }, 'operator').expect(200);
      const [decoded] = (response.body.payloads as Array<{ metadata: Record<string, string>; data: string }>).map(fromJson);
      expect(JSON.stringify(defaultPayloadConverter.fromPayload(decoded))).toContain('feijenoord');
    });

    it('leaves the audit verification intact, and the decodes outside every municipality', async () => {
      const verifier = api.app.get(AuditVerifier);
      // One stream per UTC day: a run across midnight has two.
      const streams: string[] = [...new Set<string>((await decodesIn()).map((record: { stream_id: string }) => record.stream_id))];
      const reports = await Promise.all(streams.map((streamId) => verifier.verify({ streamId })));
      expect(reports.every((report) => report.intact)).toBe(true);
      expect(reports.reduce((events, report) => events + report.events, 0)).toBe(2);
      expect(await verifier.verify()).toMatchObject({ intact: true, firstBroken: null });
      const rotterdam = await request(api.app.getHttpServer())
        .get('/audit/verify')
        .set('authorization', `Bearer ${api.users.coordinator.token}`)
        .expect(200);
      expect(rotterdam.body).toMatchObject({ intact: true, streams: 1 });
    });
  });

  describe('who may decode', () => {
    const sample = async () => ({ payloads: [toJson(await encodeAsTheService('x'))] });

    it.each(['coordinator', 'auditor', 'provider'])('refuses the role %s (403), recording nothing', async (who) => {
      const before = (await decodesIn()).length;
      const response = await decode(await sample(), who).expect(403);
      expect(response.body.message).toMatch(/needs the role operator/);
      expect(await decodesIn()).toHaveLength(before);
    });

    it('makes operators of a municipality only, in the service and in the database, and lists them', async () => {
      const tokens = new TokensService(api.db.app);
      await expect(tokens.createUser(`op-${randomUUID()}`, 'operator', 'welzijn-maas')).rejects.toThrow(
        /an operator must belong to a municipality/,
      );
      const insert = (role: string, organisation: string) =>
        api.db.admin.query('INSERT INTO users (id, username, role, organisation) VALUES ($1, $2, $3, $4)', [
          randomUUID(), `u-${randomUUID()}`, role, organisation,
        ]);
      await expect(insert('operator', 'welzijn-maas')).rejects.toThrow(/an operator must belong to a municipality/);
      await expect(insert('superuser', 'rotterdam')).rejects.toThrow(/users_role_check/);
      const listed = (await tokens.list()).find((row) => row.user === api.users.operator.user.username);
      expect(listed).toMatchObject({ role: 'operator', organisation: 'rotterdam', status: 'valid' });
    });

    it('wants a token (401)', async () => {
      await decode(await sample()).expect(401);
    });

    it('refuses an operator every other route of the document, also those that name no role (403)', async () => {
      const document = (await request(api.app.getHttpServer()).get('/api/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const tried: string[] = [];
      for (const [path, operations] of Object.entries(document.paths)) {
        if (path.startsWith('/codec/') || path.startsWith('/health')) continue;
        const concrete = path.replace(/\{[^}]+\}/g, (name) =>
          name === '{transitionId}' ? transitionId : name === '{pseudonym}' ? 'c-0000000000000000' : 'kick-off',
        );
        for (const method of Object.keys(operations)) {
          const response = await request(api.app.getHttpServer())
            [method as 'get' | 'post' | 'put' | 'patch' | 'delete'](concrete)
            .set('authorization', `Bearer ${api.users.operator.token}`);
          expect({ route: `${method.toUpperCase()} ${path}`, status: response.status }).toEqual({
            route: `${method.toUpperCase()} ${path}`,
            status: 403,
          });
          tried.push(`${method} ${path}`);
        }
      }
      expect(tried.length).toBeGreaterThan(40);
    });
  });

  describe('CORS for the Temporal Web UI only', () => {
    const preflight = (origin: string, headers = 'authorization,content-type,x-namespace') =>
      request(api.app.getHttpServer())
        .options('/codec/decode')
        .set('origin', origin)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', headers);

    it("answers the UI's preflight from an allowed origin", async () => {
      const response = await preflight(UI_ORIGIN).expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
      expect(response.headers['access-control-allow-methods']).toBe('POST');
      expect(response.headers['access-control-allow-headers']).toMatch(/authorization.*content-type.*x-namespace/);
      // The UI's "include cross-origin credentials": an operator's web session cookie (see codec-web-ui.e2e).
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.headers.vary).toMatch(/Origin/i);
    });

    it('lets the allowed origin read the answer', async () => {
      const response = await decode({ payloads: [] }, 'operator', { origin: UI_ORIGIN }).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    });

    it('refuses another origin, its preflight and its request, without CORS headers', async () => {
      for (const response of [await preflight('https://evil.example').expect(403), await decode({ payloads: [] }, 'operator', { origin: 'https://evil.example' }).expect(403)]) {
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
        expect(response.body.message).toMatch(/TEMPORAL_UI_ORIGINS/);
        expect(JSON.stringify(response.body)).not.toContain('evil');
      }
    });

    it('refuses a preflight asking for another method or header', async () => {
      await preflight(UI_ORIGIN, 'authorization,x-custom').expect(403);
      await request(api.app.getHttpServer())
        .options('/codec/decode')
        .set('origin', UI_ORIGIN)
        .set('access-control-request-method', 'PUT')
        .expect(403);
    });

    it('gives no CORS to any other route, even from the UI', async () => {
      const response = await request(api.app.getHttpServer())
        .options('/transitions')
        .set('origin', UI_ORIGIN)
        .set('access-control-request-method', 'GET');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-methods']).toBeUndefined();
      const list = await request(api.app.getHttpServer())
        .get('/transitions')
        .set('origin', UI_ORIGIN)
        .set('authorization', `Bearer ${api.users.coordinator.token}`)
        .expect(200);
      expect(list.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('hostile bodies and headers: 4xx naming the field and rule, never the value', () => {
    const secret = 'Zeer-Geheim-Waarde';
    const b64 = Buffer.from(secret).toString('base64');

    it.each<[string, unknown, RegExp]>([
      ['no payloads', {}, /payloads must be an array/],
      ['payloads not an array', { payloads: secret }, /payloads must be an array/],
      ['an element that is no object', { payloads: [secret] }, /payloads/],
      ['data not base64', { payloads: [{ data: `${secret}!` }] }, /payloads\.0\.data must be a base64 string/],
      ['data not a string', { payloads: [{ data: 12 }] }, /payloads\.0\.data must be a string/],
      ['metadata value not base64', { payloads: [{ metadata: { encoding: `${secret}!` } }] }, /payloads\.0\.metadata must be an object/],
      ['metadata an array', { payloads: [{ metadata: [b64] }] }, /payloads\.0\.metadata must be an object/],
      ['metadata key with spaces', { payloads: [{ metadata: { [`${secret} x`]: b64 } }] }, /payloads\.0\.metadata must be an object/],
      ['an unknown property', { payloads: [{ data: b64, [secret]: 1 }] }, /unknown property/],
      ['an unknown top-level property', { payloads: [], [secret]: 1 }, /unknown property/],
      ['too many payloads', { payloads: Array.from({ length: 1_001 }, () => ({})) }, /payloads must contain no more than 1000 elements/],
      ['a prototype key', JSON.parse(`{"payloads":[{"metadata":{"__proto__":"${b64}"}}]}`), /__proto__/],
      ['a payload that does not decrypt', { payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') }, data: b64 }] }, /payloads\.0 could not be decoded/],
    ])('%s: 400', async (_, body, message) => {
      const before = (await decodesIn()).length;
      const response = await decode(body, 'operator').expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(message);
      expect(JSON.stringify(response.body)).not.toContain(secret);
      expect(JSON.stringify(response.body)).not.toContain(b64);
      expect(await decodesIn()).toHaveLength(before);
    });

    it('refuses a foreign X-Namespace (400), and reads a missing one as this service\'s', async () => {
      const call = () => request(api.app.getHttpServer()).post('/codec/decode').set('authorization', `Bearer ${api.users.operator.token}`);
      for (const namespace of ['another-namespace', secret]) {
        const response = await call().set('x-namespace', namespace).send({ payloads: [] }).expect(400);
        expect(response.body.message).toEqual([expect.stringMatching(/^X-Namespace, when sent, must name/)]);
        expect(JSON.stringify(response.body)).not.toContain(secret);
      }
      await call().send({ payloads: [] }).expect(200);
      const records = await decodesIn();
      expect(records[records.length - 1].data).toEqual({ namespace: NAMESPACE, payloads: 0 });
    });

    it('refuses a body over CODEC_BODY_LIMIT_BYTES (413), yet takes one over the commands\' limit', async () => {
      const big = (bytes: number) => ({ payloads: [{ data: Buffer.alloc(bytes).toString('base64') }] });
      const response = await decode(big(BODY_LIMIT), 'operator').expect(413);
      expect(response.body.message).toMatch(new RegExp(`at most ${BODY_LIMIT} bytes`));
      await decode(big(40 * 1024), 'operator').expect(200);
    });

    it('refuses a body that is not JSON (400 or 415), never echoing it', async () => {
      const notJson = await request(api.app.getHttpServer())
        .post('/codec/decode')
        .set('authorization', `Bearer ${api.users.operator.token}`)
        .set('x-namespace', NAMESPACE)
        .set('content-type', 'application/json')
        .send(`{"payloads": [${secret}`)
        .expect(400);
      expect(JSON.stringify(notJson.body)).not.toContain(secret);
      await request(api.app.getHttpServer())
        .post('/codec/decode')
        .set('authorization', `Bearer ${api.users.operator.token}`)
        .set('x-namespace', NAMESPACE)
        .set('content-type', 'text/plain')
        .send(secret)
        .expect(415);
    });
  });
});
