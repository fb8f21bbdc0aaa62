import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { projectRoot } from '../../src/config/paths';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { createTestUser, seedOrganisations, TestUser } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { goLiveInDays } from '../support/plans';
import { rawRequest, RawResponse } from '../support/raw-http';
import { startTemporalDevServer } from '../support/temporal';
import { freePort } from '../support/service-process';

/**
 * A note holding a name, an address and a BSN reaches the audit trail (that is what a note is
 * for), but no log line, no error answer and no Temporal history. The service runs as `npm
 * start` runs it (src/main.ts in a process of its own, logging at trace), so everything it
 * writes to stdout and stderr is read: request logs, Nest's, the Temporal worker's, errors.
 * The marker goes into every free-text field, and into requests that fail in every way we
 * know: bad query values, unknown fields, wrong content types, invalid bodies, unknown paths,
 * bad tokens, an append the database refuses and one it cannot take now.
 */
describe('personal data stays out of logs, error answers and workflow histories (the service as a process)', () => {
  const secret = randomBytes(8).toString('hex');
  const MARKER = `Jan Jansen, Dorpsstraat 1, BSN 123456782, leakmarker-${secret}`;
  /** What must appear nowhere: the random part survives URL-encoding, JSON escaping and cutting. */
  const TRACES = [secret, 'Dorpsstraat', '123456782', 'Jan Jansen'];
  const goLiveDate = goLiveInDays(180);
  const handover = (district: string) => ({ municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate });
  const A = `rotterdam.ijsselmonde.${goLiveDate}`;
  const B = `rotterdam.charlois.${goLiveDate}`;

  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let service: ChildProcess | undefined;
  let port: number;
  let output = '';
  const users: Record<string, TestUser> = {};
  /** Every answer the scenario got, with what was asked. */
  const answers: Array<{ request: string; response: RawResponse }> = [];

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTemporalDevServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    for (const [name, role, organisation] of [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['outgoing', 'provider', 'welzijn-maas'],
      ['auditor', 'auditor', 'rotterdam'],
    ] as const) {
      users[name] = await createTestUser(db.app, role, organisation);
    }
    // The database refuses an event whose data says "refuse-append" (a constraint, quoting the
    // data in its message and detail), and cannot take one saying "flaky-append" now.
    await db.admin.query(`
      CREATE FUNCTION test_refuse_marked_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data::text LIKE '%refuse-append%' THEN
          RAISE EXCEPTION 'refused event %', NEW.data::text USING ERRCODE = '23514', DETAIL = NEW.data::text, HINT = NEW.metadata::text;
        END IF;
        IF NEW.data::text LIKE '%flaky-append%' THEN
          RAISE EXCEPTION 'cannot store % now', NEW.data::text USING ERRCODE = '57P03', DETAIL = NEW.data::text;
        END IF;
        RETURN NEW;
      END $$`);
    await db.admin.query('CREATE TRIGGER test_refuse_marked BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_events()');

    port = await freePort();
    service = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_TASK_QUEUE: `personal-data-${randomBytes(4).toString('hex')}`,
        SMTP_URL: sink.url,
        PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
        DEMO_DATA: 'false',
        LOG_LEVEL: 'trace',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
    service.stdout!.on('data', collect);
    service.stderr!.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not running after 120 s:\n${output}`)), 120_000);
      const check = () => {
        if (!output.includes('Overdracht is running')) return;
        clearTimeout(timer);
        resolve();
      };
      service!.stdout!.on('data', check);
      service!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });

    await runScenario();

    // Stop it as an operator would; every line it wrote is in `output`.
    const exited = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
    service = undefined;
  }, 300_000);

  afterAll(async () => {
    service?.kill('SIGKILL');
    await env?.teardown();
    await sink?.stop();
    await db?.drop();
  });

  function send(who: string | null, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
    const headers = { ...(who ? { authorization: `Bearer ${users[who].token}` } : {}), ...init.headers };
    return rawRequest(port, { method, path, headers, body: init.body }).then((response) => {
      answers.push({ request: `${method} ${path.slice(0, 80)}`, response });
      return response;
    });
  }
  const json = (who: string, path: string, body: unknown, extra: Record<string, string> = {}) =>
    send(who, 'POST', path, { headers: { 'content-type': 'application/json', ...extra }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const q = encodeURIComponent(MARKER);
  const task = (id: string, action = 'complete', transitionId = A) => `/transitions/${transitionId}/tasks/${id}/${action}`;

  async function runScenario() {
    const expectStatus = async (status: number, response: Promise<RawResponse>) => {
      const answer = await response;
      expect({ status: answer.status, text: answer.text }).toMatchObject({ status });
    };
    // Free text that is accepted: notes and reasons on every command.
    await expectStatus(201, json('coordinator', '/transitions', handover('ijsselmonde'), { 'x-correlation-id': MARKER }));
    await expectStatus(201, json('coordinator', '/transitions', handover('charlois')));
    await expectStatus(200, json('coordinator', task('kick-off'), { note: MARKER }));
    await expectStatus(200, json('outgoing', task('client-list'), { note: MARKER }));
    await expectStatus(200, json('coordinator', `/transitions/${A}/milestones/partners-introduced/sign-off`, { note: MARKER }));
    await expectStatus(200, json('coordinator', task('client-list', 'reopen'), { reason: MARKER }));
    await expectStatus(200, json('coordinator', `/transitions/${A}/go-live`, { expectedGoLiveDate: goLiveDate, goLiveDate: goLiveInDays(200), reason: MARKER }));
    await expectStatus(409, json('coordinator', `/transitions/${A}/go-decision`, { reason: MARKER }));
    await expectStatus(200, json('coordinator', `/transitions/${B}/cancel`, { reason: MARKER }));

    // Appends that fail: refused by the database (400), and out of reach for a while (503).
    await expectStatus(400, json('outgoing', task('staff-agreements'), { note: `${MARKER} refuse-append` }));
    await expectStatus(503, json('outgoing', task('residents-informed-outgoing'), { note: `${MARKER} flaky-append` }));

    // Query values and names.
    for (const [who, path] of [
      ['auditor', `/transitions?municipality=${q}`],
      ['coordinator', `/transitions?state=${q}`],
      ['coordinator', `/transitions?atRisk=${q}`],
      ['coordinator', `/transitions?state=open&state=${q}`],
      ['outgoing', `/me/tasks?status=${q}`],
      ['coordinator', `/audit/verify?streamId=${q}`],
      ['coordinator', `/audit/verify?streamId=${q}%00`],
      ['coordinator', `/transitions/${A}/audit?format=${q}`],
      ['coordinator', `/transitions?${q}=1`],
      ['coordinator', `/transitions?municipality=${q}%FF`],
      ['coordinator', `/transitions?leakmarker${secret}=1`],
    ]) {
      await send(who, 'GET', path);
    }
    // Unknown fields, by name and by value.
    await json('outgoing', task('staff-agreements'), { note: 'ok', [MARKER]: MARKER });
    await json('outgoing', task('staff-agreements'), { note: 'ok', [`leakmarker${secret}`]: 1, extra: MARKER });
    await json('coordinator', '/transitions', { ...handover('delfshaven'), [MARKER]: 1 });
    await json('coordinator', '/transitions', { ...handover(`leakmarker-${secret}`) });
    // Wrong content types.
    await send('outgoing', 'POST', task('staff-agreements'), { headers: { 'content-type': 'text/plain' }, body: MARKER });
    await send('outgoing', 'POST', task('staff-agreements'), { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `note=${q}` });
    await send('outgoing', 'POST', task('staff-agreements'), { body: JSON.stringify({ note: MARKER }) });
    await send('outgoing', 'POST', task('staff-agreements'), { headers: { 'content-type': `application/json; charset=${q}` }, body: JSON.stringify({ note: MARKER }) });
    // Invalid bodies.
    await json('outgoing', task('staff-agreements'), `{"note": "${MARKER}`);
    await json('outgoing', task('staff-agreements'), { note: `${MARKER} `.repeat(20) });
    await json('outgoing', task('staff-agreements'), { note: { text: MARKER } });
    await json('outgoing', task('staff-agreements'), { note: `${MARKER}\u0000` });
    await json('outgoing', task('staff-agreements'), { [`${MARKER}\u0000`]: 1 });
    await json('outgoing', task('staff-agreements'), { note: 'ok', [MARKER]: { line: '\u0007' } });
    await json('outgoing', task('staff-agreements'), `{"note": ${'['.repeat(5000)}"${MARKER}"${']'.repeat(5000)}}`);
    await json('outgoing', task('staff-agreements'), `{"__proto__": {"note": "${MARKER}"}}`);
    await json('outgoing', task('staff-agreements'), { note: MARKER.repeat(1000) });
    await send('outgoing', 'POST', task('staff-agreements'), {
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from(`{"note": "${MARKER}`), Buffer.from([0xff]), Buffer.from('"}')]),
    });
    await json('coordinator', `/transitions/${A}/go-live`, { expectedGoLiveDate: MARKER, goLiveDate: MARKER, reason: MARKER });
    // Paths, methods and tokens.
    await json('outgoing', task(`leakmarker-${secret}`), { note: MARKER });
    await json('coordinator', `/transitions/${A}/milestones/leakmarker-${secret}/sign-off`, { note: MARKER });
    await send('coordinator', 'GET', `/transitions/rotterdam.leakmarker-${secret}.${goLiveDate}`);
    await send('auditor', 'GET', `/transitions/rotterdam.leakmarker-${secret}.${goLiveDate}`);
    await send('coordinator', 'GET', `/leakmarker-${secret}/${q}?bsn=${q}`);
    await send('coordinator', 'TRACE', `/transitions?note=${q}`);
    await send('coordinator', 'GET', `/transitions/${q}`);
    await send('coordinator', 'GET', `/transitions/${q}%C0%AF`);
    await send(null, 'GET', '/me/tasks', { headers: { authorization: `Bearer leakmarker-${secret}` } });
    await send(null, 'GET', '/me/tasks', { headers: { authorization: `Bearer ${MARKER}` } });
    await send(null, 'GET', `/me/tasks?token=${q}`);
  }

  it('really recorded the notes and reasons, and saw the requests (the test sees what it claims to)', async () => {
    const [row] = await db.admin.query('SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1', [`%${secret}%`]);
    expect(row.n).toBeGreaterThanOrEqual(6);
    expect(answers.length).toBeGreaterThan(40);
    expect(output).toContain('"route":"/transitions/:transitionId/tasks/:taskId/complete"');
    expect(output).toContain('"statusCode":415');
    expect(output).toContain('"component":"temporal"');
    expect(output).toMatch(/"level":(10|20)/); // trace or debug lines were written
  });

  it('writes the marker to no log line', () => {
    const leaking = output.split('\n').filter((line) => TRACES.some((trace) => line.includes(trace)));
    expect(leaking).toEqual([]);
  });

  it('logs no activity or update input, statement parameters, driver detail or URL', () => {
    const leaking = output.split('\n').filter((line) => /"(input|args|arguments|parameters|driverError|detail|where|query|url)":/.test(line));
    expect(leaking).toEqual([]);
  });

  it('repeats the marker in no error answer', () => {
    const leaking = answers
      .filter(({ response }) => response.status >= 400)
      .filter(({ response }) => TRACES.some((trace) => response.text.includes(trace)))
      .map(({ request, response }) => `${request} -> ${response.status} ${response.text.slice(0, 300)}`);
    expect(leaking).toEqual([]);
  });

  it('keeps the marker out of every workflow history, byte for byte', async () => {
    const workflowIds: string[] = [];
    for await (const execution of env.client.workflow.list()) workflowIds.push(execution.workflowId);
    expect(workflowIds).toEqual(expect.arrayContaining([A, B]));
    for (const workflowId of workflowIds) {
      let nextPageToken: Uint8Array | undefined;
      const pages: Buffer[] = [];
      do {
        const page = await env.client.workflowService.getWorkflowExecutionHistory({
          namespace: env.namespace ?? 'default',
          execution: { workflowId },
          nextPageToken,
        });
        pages.push(Buffer.from(temporal.api.history.v1.History.encode(page.history ?? {}).finish()));
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      const bytes = Buffer.concat(pages);
      expect(bytes.includes('binary/encrypted')).toBe(true);
      for (const trace of TRACES) expect({ workflowId, found: bytes.includes(trace) }).toEqual({ workflowId, found: false });
    }
  });
});
