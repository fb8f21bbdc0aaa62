import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { CONTENT_TYPE_RULE } from '../../src/http/content-type';
import { METHOD_NOT_ALLOWED, NO_SUCH_ROUTE } from '../../src/http/edge-exception.filter';
import { TOO_MANY_FAILED_AUTHENTICATIONS } from '../../src/http/failed-auth';
import { BODY_NOT_JSON, BODY_NOT_UTF8 } from '../../src/http/request-edge';
import { PATH_NOT_UTF8, URL_NOT_ASCII } from '../../src/http/request-url';
import { BODY_NOT_OBJECT, depthRule, forbiddenPropertyRule } from '../../src/validation/json-structure.pipe';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';
import { RawRequest, RawResponse, rawRequest, rawSocketStatus } from '../support/raw-http';

/**
 * The edge of the HTTP API: what it accepts as a request at all (content type, encoding, shape,
 * size, method), the headers of every answer, what error answers say, and how it meets a client
 * guessing tokens. Refused requests write nothing and start nothing.
 */
describe('the HTTP edge (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const goLiveDate = goLiveInDays(180);
  const transitionId = `rotterdam.ijsselmonde.${goLiveDate}`;
  const existing = { municipality: 'rotterdam', district: 'ijsselmonde', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
  /** A handover never created by a refused request. */
  const fresh = { ...existing, district: 'charlois' };
  const freshId = `rotterdam.charlois.${goLiveDate}`;
  const AUTH_FAILURE_LIMIT = 5;
  /** Longer than the burst below takes on a busy machine. */
  const AUTH_FAILURE_BLOCK_SECONDS = 8;

  beforeAll(async () => {
    api = await startApi(
      'http-edges-e2e',
      [
        ['coordinator', 'coordinator', 'rotterdam'],
        ['outgoing', 'provider', 'welzijn-maas'],
        ['auditor', 'auditor', 'rotterdam'],
      ],
      {
        env: {
          AUTH_FAILURE_LIMIT: String(AUTH_FAILURE_LIMIT),
          AUTH_FAILURE_WINDOW_SECONDS: '60',
          AUTH_FAILURE_BLOCK_SECONDS: String(AUTH_FAILURE_BLOCK_SECONDS),
        },
      },
    );
    await post('/transitions', existing).expect(201);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const bearer = (name: string) => `Bearer ${api.users[name].token}`;
  const as = (name: string) => ({ authorization: bearer(name) });
  const get = (path: string, who = 'coordinator') => request(api.app.getHttpServer()).get(path).set(as(who));
  const post = (path: string, payload: object, who = 'coordinator') => request(api.app.getHttpServer()).post(path).set(as(who)).send(payload);
  const raw = (req: RawRequest, who: string | null = 'coordinator') =>
    rawRequest(api.port, { ...req, headers: { ...(who ? as(who) : {}), ...req.headers } });
  /** A JSON text sent as is, so keys such as __proto__ arrive as written. */
  const postJsonText = (path: string, text: string | Buffer, who = 'coordinator') =>
    raw({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: text }, who);

  const written = async () => {
    const [[events], [summaries]] = await Promise.all([
      api.db.app.query('SELECT count(*)::int AS n FROM events'),
      api.db.app.query('SELECT count(*)::int AS n FROM transition_summaries'),
    ]);
    return { events: events.n, summaries: summaries.n };
  };
  async function workflowExists(workflowId: string): Promise<boolean> {
    try {
      await api.env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Sends it and expects `status` with `message` among the messages, nothing written, and no `secret` in the answer. */
  async function expectRefused(send: () => PromiseLike<RawResponse | request.Response>, status: number, message: string, secrets: string[] = []) {
    const was = await written();
    const response = await send();
    expect({ status: response.status, text: response.text }).toMatchObject({ status });
    const body = 'body' in response ? response.body : undefined;
    const messages = [body?.message].flat();
    expect(messages).toContain(message);
    for (const secret of secrets) expect(response.text).not.toContain(secret);
    expect(await written()).toEqual(was);
    return response;
  }

  const task = (id: string, action = 'complete') => `/transitions/${transitionId}/tasks/${id}/${action}`;
  /** Every write route and a body it accepts. */
  const WRITE_ROUTES: Array<[string, string, Record<string, string>]> = [
    ['POST /transitions', '/transitions', fresh],
    ['complete', task('staff-agreements'), { note: 'Held on site' }],
    ['reopen', task('kick-off', 'reopen'), { reason: 'List incomplete' }],
    ['sign-off', `/transitions/${transitionId}/milestones/partners-introduced/sign-off`, { note: 'Met in person' }],
    ['go-live', `/transitions/${transitionId}/go-live`, { expectedGoLiveDate: goLiveDate, goLiveDate: goLiveInDays(200), reason: 'Locations not ready' }],
    ['go-decision', `/transitions/${transitionId}/go-decision`, { reason: 'Go anyway' }],
    ['cancel', `/transitions/${transitionId}/cancel`, { reason: 'Assignment withdrawn' }],
  ];

  describe('content types: every write route takes application/json only', () => {
    const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
    const CASES: Array<[string, (body: Record<string, string>) => { headers: Record<string, string>; body?: string }]> = [
      ['a form-encoded body', (body) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(body) })],
      ['JSON sent as text/plain', (body) => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })],
      ['JSON without a content type', (body) => ({ headers: {}, body: JSON.stringify(body) })],
      ['a declared text/plain without a body', () => ({ headers: { 'content-type': 'text/plain' } })],
      ['multipart form data', () => ({ headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--x--\r\n' })],
      ['application/xml', () => ({ headers: { 'content-type': 'application/xml' }, body: '<note>hi</note>' })],
      ['a JSON variant (application/merge-patch+json)', (body) => ({ headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body) })],
      ['JSON in another charset', (body) => ({ headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: JSON.stringify(body) })],
      ['an unknown parameter', (body) => ({ headers: { 'content-type': 'application/json; leakmarker=1' }, body: JSON.stringify(body) })],
    ];

    describe.each(WRITE_ROUTES)('%s', (route, path, body) => {
      it.each(CASES)('refuses %s with 415 naming the rule, writing and starting nothing', async (_case, make) => {
        const { headers, body: sent } = make(body);
        await expectRefused(() => raw({ method: 'POST', path, headers, body: sent }), 415, CONTENT_TYPE_RULE, ['leakmarker']);
        if (route === 'POST /transitions') expect(await workflowExists(freshId)).toBe(false);
      });
    });

    it('accepts application/json in any case, with charset utf-8', async () => {
      const created = await raw({
        method: 'POST',
        path: '/transitions',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify({ ...existing, district: 'feijenoord' }),
      });
      expect(created.status).toBe(201);
      const done = await raw({ method: 'POST', path: task('kick-off'), headers: { 'content-type': 'Application/JSON;charset="utf-8"' }, body: '{"note":"Held"}' });
      expect(done.status).toBe(200);
    });

    it('reads a command without a body and without a content type as {}', async () => {
      await expectRefused(() => raw({ method: 'POST', path: `/transitions/${transitionId}/cancel` }), 400, 'reason must be text');
      await expectRefused(() => raw({ method: 'POST', path: `/transitions/${transitionId}/cancel`, headers: { 'content-length': '0' } }), 400, 'reason must be text');
    });

    it('reads an empty JSON body as {}', async () => {
      const response = await expectRefused(() => raw({ method: 'POST', path: `/transitions/${transitionId}/cancel`, headers: { 'content-type': 'application/json' } }), 400, 'reason must be text');
      expect(response.status).toBe(400);
    });

    it('leaves a route that does not exist, or another method, to its 404 or 405', async () => {
      expect((await raw({ method: 'POST', path: '/nowhere', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(404);
      expect((await raw({ method: 'POST', path: '/me/tasks', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(405);
    });
  });

  describe('__proto__, constructor and prototype anywhere in a body or query', () => {
    it.each([
      ['__proto__ at the top', task('staff-agreements'), '{"__proto__": {"note": "x"}}'],
      ['__proto__ beside a valid field', task('staff-agreements'), '{"note": "ok", "__proto__": {"isAdmin": true}}'],
      ['constructor', task('staff-agreements'), '{"note": "ok", "constructor": {"prototype": {"isAdmin": true}}}'],
      ['prototype', task('staff-agreements'), '{"prototype": 1}'],
      ['__proto__ nested in arrays', task('staff-agreements'), '{"note": "ok", "x": {"y": [1, {"__proto__": {}}]}}'],
      ['__proto__ in a create', '/transitions', JSON.stringify(fresh).replace(/}$/, ', "__proto__": {"template": "continuation"}}')],
      ['constructor in a reason', `/transitions/${transitionId}/cancel`, '{"reason": {"constructor": "Assignment withdrawn"}}'],
    ])('refuses %s with 400 naming the rule, writing nothing', async (_case, path, text) => {
      const response = await expectRefused(() => postJsonText(path, text), 400, forbiddenPropertyRule('body'));
      expect(response.body.message).toEqual([forbiddenPropertyRule('body')]);
      if (path === '/transitions') expect(await workflowExists(freshId)).toBe(false);
    });

    it.each([
      ['/transitions?__proto__=x', 'coordinator'],
      ['/transitions?constructor=x', 'coordinator'],
      ['/me/tasks?__proto__=x', 'outgoing'],
    ])('refuses %s with 400', async (path, who) => {
      await expectRefused(() => get(path, who), 400, forbiddenPropertyRule('query'));
    });
  });

  describe('invalid UTF-8, NUL, depth and size', () => {
    const BAD_ENCODINGS: Array<[string, string]> = [
      ['%FF', '%FF'],
      ['%C3%28 (a lead byte without its continuation)', '%C3%28'],
      ['an overlong /', '%C0%AF'],
      ['an overlong three-byte /', '%E0%80%AF'],
      ['an encoded surrogate', '%ED%A0%80'],
      ['beyond U+10FFFF', '%F4%90%80%80'],
      ['a truncated sequence', '%E2%82'],
      ['a lone %', 'a%'],
      ['%G1', '%G1'],
    ];
    const rule = (name: string) => `${name} must be percent-encoded UTF-8 (no invalid, overlong or truncated byte sequences)`;

    it('refuses NUL in /audit/verify?streamId= with 400, not 500', async () => {
      await expectRefused(() => get('/audit/verify?streamId=%00'), 400, 'streamId must not contain control characters');
    });

    describe.each(BAD_ENCODINGS)('%s', (_name, bad) => {
      it.each([
        ['municipality', `/transitions?municipality=rotter${bad}dam`, 'auditor'],
        ['streamId', `/audit/verify?streamId=${transitionId}${bad}`, 'coordinator'],
        ['status', `/me/tasks?status=${bad}`, 'outgoing'],
        ['format', `/transitions/${transitionId}/audit?format=csv${bad}`, 'coordinator'],
      ])('refuses it in the query value %s with 400 naming the parameter', async (name, path, who) => {
        const response = await expectRefused(() => get(path, who), 400, rule(name));
        expect(response.text).not.toContain('\ufffd');
      });

      it.each([
        ['GET a transition', () => get(`/transitions/rotterdam.ijssel${bad}monde.${goLiveDate}`)],
        ['complete a task', () => post(task(`kick${bad}off`), {})],
        ['move go-live', () => post(`/transitions/rotterdam.${bad}.${goLiveDate}/go-live`, { expectedGoLiveDate: goLiveDate, goLiveDate: goLiveInDays(200), reason: 'Later' })],
      ])('refuses it in a path (%s) with 400, writing nothing', async (_case, send) => {
        await expectRefused(send, 400, PATH_NOT_UTF8);
      });
    });

    it('refuses a query parameter name that is not UTF-8, without naming it', async () => {
      await expectRefused(() => get('/transitions?st%FFate=open'), 400, rule('query'));
    });

    it('refuses bytes outside ASCII in the URL', async () => {
      const { statusLine, text } = await rawSocketStatus(
        api.port,
        Buffer.concat([Buffer.from('GET /transitions?municipality=rotter'), Buffer.from([0xff]), Buffer.from(`dam HTTP/1.1\r\nHost: x\r\nAuthorization: ${bearer('auditor')}\r\nConnection: close\r\n\r\n`)]),
      );
      expect(statusLine).toMatch(/^HTTP\/1\.1 400/);
      if (text.includes('{')) expect(text).toContain(URL_NOT_ASCII);
    });

    it('refuses a body that is not UTF-8 with 400, writing nothing', async () => {
      const bytes = Buffer.concat([Buffer.from('{"note":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
      await expectRefused(() => postJsonText(task('staff-agreements'), bytes, 'outgoing'), 400, BODY_NOT_UTF8);
    });

    const nested = (levels: number, inner: string) => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

    it('refuses 5,000 nested arrays in a note with 400 (was a 500: stack overflow)', async () => {
      const response = await expectRefused(() => postJsonText(task('staff-agreements'), `{"note": ${nested(5000, '"x"')}}`, 'outgoing'), 400, depthRule('body'));
      expect(response.body.message).toEqual([depthRule('body')]);
    });

    it('refuses 33 levels, and lets 32 through to the DTO', async () => {
      await expectRefused(() => postJsonText(task('staff-agreements'), `{"note": ${nested(32, '1')}}`, 'outgoing'), 400, depthRule('body'));
      const at = await expectRefused(() => postJsonText(task('staff-agreements'), `{"note": ${nested(31, '1')}}`, 'outgoing'), 400, 'note must be text');
      expect(at.body.message).not.toContain(depthRule('body'));
    });

    it('refuses a deeply nested create, starting nothing', async () => {
      await expectRefused(() => postJsonText('/transitions', JSON.stringify(fresh).replace(/}$/, `, "template": ${nested(100, '"x"')}}`)), 400, depthRule('body'));
      expect(await workflowExists(freshId)).toBe(false);
    });

    it('refuses a body over the limit (32768 bytes) with 413, writing nothing', async () => {
      const body = JSON.stringify({ note: 'leakmarker '.repeat(4000) });
      const response = await expectRefused(() => postJsonText(task('staff-agreements'), body, 'outgoing'), 413, 'body must be at most 32768 bytes', ['leakmarker']);
      expect(response.status).toBe(413);
    });

    it.each([
      ['an array', '[{"note": "x"}]', BODY_NOT_OBJECT],
      ['a string', '"x"', BODY_NOT_JSON],
      ['null', 'null', BODY_NOT_JSON],
      ['broken JSON quoting its input', '{"note": "leakmarker', BODY_NOT_JSON],
    ])('refuses %s as a body with 400 naming the rule, without repeating it', async (_case, text, message) => {
      await expectRefused(() => postJsonText(task('staff-agreements'), text, 'outgoing'), 400, message, ['leakmarker']);
    });
  });

  describe('headers of every answer', () => {
    const SECURITY_HEADERS = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    };

    it.each([
      ['an authenticated read (200)', () => get('/transitions')],
      ['a refused body (400)', () => post(task('staff-agreements'), { notes: 'x' }, 'outgoing')],
      ['a missing token (401)', () => request(api.app.getHttpServer()).get('/me/tasks')],
      ['an unknown route (404)', () => get('/nowhere')],
      ['health', () => request(api.app.getHttpServer()).get('/health')],
    ])('sends the security headers and no X-Powered-By on %s', async (_case, send) => {
      const response = await send();
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
      expect(response.headers['cache-control']).toMatch(/(^|, )no-store(,|$)/);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('keeps Swagger UI working under its content security policy', async () => {
      const page = await request(api.app.getHttpServer()).get('/api/docs/').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      // Every script is a file of this service (an inline one would be blocked), and each is served.
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, content] of scripts) {
        expect(content.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)![1];
        expect(src).not.toMatch(/^[a-z]+:|^\/\//i);
        const asset = await request(api.app.getHttpServer()).get(new URL(src, 'http://x/api/docs/').pathname).expect(200);
        expect(asset.headers['content-type']).toMatch(/javascript/);
      }
      for (const [, href] of page.text.matchAll(/<link[^>]+href=["']([^"']+)["']/g)) {
        expect(href).not.toMatch(/^[a-z]+:|^\/\//i);
        await request(api.app.getHttpServer()).get(new URL(href, 'http://x/api/docs/').pathname).expect(200);
      }
      const init = await request(api.app.getHttpServer()).get('/api/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('/transitions/{transitionId}/tasks/{taskId}/complete');
      await request(api.app.getHttpServer()).get('/api/docs-json').expect(200);
    });
  });

  describe('methods', () => {
    it.each([
      ['TRACE', '/transitions', 'GET, HEAD, POST'],
      ['TRACE', `/transitions/${transitionId}`, 'GET, HEAD'],
      ['DELETE', `/transitions/${transitionId}`, 'GET, HEAD'],
      ['PUT', task('kick-off'), 'POST'],
      ['PATCH', '/transitions', 'GET, HEAD, POST'],
      ['GET', task('kick-off'), 'POST'],
      ['DELETE', '/me/tasks', 'GET, HEAD'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const was = await written();
      const response = await raw({ method, path });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.body.message).toBe(METHOD_NOT_ALLOWED);
      expect(await written()).toEqual(was);
    });

    it('answers OPTIONS on a known path with 204 and Allow', async () => {
      const response = await raw({ method: 'OPTIONS', path: '/transitions' });
      expect(response.status).toBe(204);
      expect(response.headers.allow).toBe('GET, HEAD, POST');
    });

    it.each([
      ['GET', '/leakmarker-xyz/Jan%20Jansen?bsn=123456782'],
      ['POST', '/transitions/leakmarker/x/y/z'],
      ['TRACE', '/leakmarker'],
    ])('answers %s on an unknown path with a 404 that does not repeat it', async (method, path) => {
      const response = await raw({ method, path, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ statusCode: 404, message: NO_SUCH_ROUTE, error: 'Not Found' });
      expect(response.text).not.toMatch(/leakmarker|Jansen|123456782/);
    });
  });

  describe('error answers name the field and the rule, never what was sent', () => {
    it.each([
      ['a sentence', { note: 'ok', 'Jan Jansen, Dorpsstraat 1, leakmarker': 1 }],
      ['an identifier', { note: 'ok', leakmarkerXyz: 1 }],
      ['two of them', { leakmarkerOne: 1, leakmarkerTwo: 2 }],
    ])('refuses an unknown property named as %s, listing the allowed ones', async (_case, body) => {
      const response = await expectRefused(() => post(task('staff-agreements'), body, 'outgoing'), 400, 'unknown property (only these are allowed: note)', ['leakmarker', 'Jansen']);
      expect(response.body.message).toEqual(['unknown property (only these are allowed: note)']);
    });

    it('refuses an unknown query parameter without repeating its name', async () => {
      const response = await expectRefused(() => get('/transitions?leakmarkerXyz=1'), 400, 'unknown property (only these are allowed: municipality, state, atRisk, provider, sort, cursor, limit)', ['leakmarker']);
      expect(response.status).toBe(400);
    });

    it('names a bad value under an unknown property name as *', async () => {
      const response = await expectRefused(
        () => post(task('staff-agreements'), { note: 'ok', 'Jan Jansen, leakmarker': { line: 'a\u0000b' } }, 'outgoing'),
        400,
        '*.line must not contain control characters',
        ['leakmarker', 'Jansen'],
      );
      expect(response.status).toBe(400);
    });

    it('refuses an unknown task without repeating its id', async () => {
      const response = await expectRefused(() => post(task('leakmarker-xyz'), {}, 'outgoing'), 404, 'the task does not exist in this handover', ['leakmarker']);
      expect(response.status).toBe(404);
    });
  });

  describe('failed authentication, per client', () => {
    /** Another client: requests from its own loopback address. */
    const from = (localAddress: string, token: string, path = '/me/tasks') =>
      rawRequest(api.port, { method: 'GET', path, headers: { authorization: `Bearer ${token}` }, localAddress });

    it(`blocks a client after ${AUTH_FAILURE_LIMIT} failures in a burst of 300: 429 with Retry-After, its valid token too, others unaffected`, async () => {
      const statuses: number[] = [];
      const waits = new Set<string>();
      for (let batch = 0; batch < 30; batch++) {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => from('127.0.0.2', `ovd_guess-${batch}-${i}`)));
        for (const answer of answers) {
          statuses.push(answer.status);
          if (answer.status === 429) {
            waits.add(String(answer.headers['retry-after']));
            expect(answer.body.message).toBe(TOO_MANY_FAILED_AUTHENTICATIONS);
          }
        }
      }
      expect(statuses.filter((status) => status === 401)).toHaveLength(AUTH_FAILURE_LIMIT);
      expect(statuses.filter((status) => status === 429)).toHaveLength(300 - AUTH_FAILURE_LIMIT);
      for (const wait of waits) expect(Number(wait)).toBeGreaterThanOrEqual(1);
      for (const wait of waits) expect(Number(wait)).toBeLessThanOrEqual(AUTH_FAILURE_BLOCK_SECONDS);

      // Blocked: a valid token is not even looked at; public routes stay open.
      expect((await from('127.0.0.2', api.users.outgoing.token)).status).toBe(429);
      expect((await rawRequest(api.port, { method: 'GET', path: '/health', localAddress: '127.0.0.2' })).status).toBe(200);
      // Another client is not blocked.
      expect((await from('127.0.0.3', api.users.outgoing.token)).status).toBe(200);
      expect((await from('127.0.0.3', 'ovd_wrong')).status).toBe(401);
      await get('/transitions').expect(200);

      // After the block, the valid token works again.
      await new Promise((resolve) => setTimeout(resolve, (AUTH_FAILURE_BLOCK_SECONDS + 1) * 1000));
      expect((await from('127.0.0.2', api.users.outgoing.token)).status).toBe(200);
    });

    it('counts a request without a token as a failure too', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < AUTH_FAILURE_LIMIT + 2; i++) {
        statuses.push((await rawRequest(api.port, { method: 'GET', path: '/me/tasks', localAddress: '127.0.0.4' })).status);
      }
      expect(statuses).toEqual([...Array(AUTH_FAILURE_LIMIT).fill(401), 429, 429]);
    });
  });
});
