import { randomBytes } from 'node:crypto';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { sampleAddressList, sampleSubscriberList } from '../../src/demo/sample-audiences';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { createTestUser, TestUser } from '../support/access';
import { sampleCampaignFields } from '../support/campaign-fields';
import { CampaignSmtpServer } from '../support/campaign-smtp';
import { eventually } from '../support/eventually';
import { decryptedPayloads, readableText, Traces } from '../support/personal-data-traces';
import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { Answer, ServiceStack, StackUser } from '../support/service-stack';

/**
 * A resident campaign over HTTP, the service as `npm start` runs it (a process of its own, logging
 * at trace) on a real Temporal dev server, PostgreSQL and a real SMTP server that refuses some
 * mailboxes for good (550): the coordinator creates, previews, edits and approves the campaign,
 * watches it send and render, downloads the print files, marks them handed to print and posted;
 * the campaign completes and the handover's "residents informed" milestone is met by itself.
 * Others get 403 on every route; races make one campaign and one approval; hostile bodies are
 * refused naming field and rule; a marker in every subscriber's e-mail address is found in no
 * log line, no JSON answer, no event and no workflow history.
 */
describe('a resident campaign over HTTP', () => {
  const secret = randomBytes(6).toString('hex');
  const streetMarker = `S${randomBytes(4).toString('hex')}`;
  const goLiveDate = goLiveInDays(150);
  const transitionId = `rotterdam.feijenoord.${goLiveDate}`;
  const base = `/transitions/${transitionId}/campaigns`;
  const traces = new Traces({ subscriberMarker: secret });
  const ADDRESSES = 2_500;
  const SUBSCRIBERS = 300;
  /** Subscribers 10, 20, … 300 are refused for good; those with an address (every third: 30, 60, …) get a letter instead. */
  const refused = (address: string) => Number(/^bewoner(\d{5})/.exec(address)?.[1] ?? '1') % 10 === 0;
  const REFUSED = SUBSCRIBERS / 10;
  const FALLBACK = SUBSCRIBERS / 30;

  let stack: ServiceStack;
  let smtp: CampaignSmtpServer;
  let service: ServiceProcess | undefined;
  let enschede: TestUser;
  const answers: Array<{ request: string; response: Answer; download: boolean }> = [];

  const fields = sampleCampaignFields;

  beforeAll(async () => {
    smtp = await CampaignSmtpServer.start({ refuse: refused });
    stack = await ServiceStack.start('campaigns');
    enschede = await createTestUser(stack.db.app, 'coordinator', 'enschede');
    service = await stack.startApi('service', { LOG_LEVEL: 'trace', SMTP_URL: smtp.url, CAMPAIGN_SMTP_RATE_PER_SECOND: '0' });
    const created = await post('coordinator', '/transitions', {
      municipality: 'rotterdam',
      district: 'feijenoord',
      outgoingProvider: 'welzijn-maas',
      incomingProvider: 'buurtkracht',
      goLiveDate,
    });
    expect(created.status).toBe(201);
    const audiences = `/transitions/${transitionId}/audiences`;
    const csv = (kind: string, file: Buffer) => send('coordinator', 'POST', `${audiences}/${kind}`, { headers: { 'content-type': 'text/csv' }, body: file });
    expect((await csv('addresses', sampleAddressList(ADDRESSES, { marker: streetMarker }))).status).toBe(201);
    expect((await csv('subscribers', sampleSubscriberList(SUBSCRIBERS, { marker: secret }))).status).toBe(201);
  }, 600_000);

  afterAll(async () => {
    const left = (await stack?.stop()) ?? [];
    await smtp?.stop();
    expect(left).toEqual([]);
  }, 120_000);

  async function send(
    who: StackUser | TestUser | null,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Buffer } = {},
    download = false,
  ): Promise<Answer> {
    const response =
      who !== null && typeof who === 'object'
        ? await stack.request(null, method, path, { ...init, headers: { ...init.headers, authorization: `Bearer ${who.token}` } })
        : await stack.request(who, method, path, init);
    answers.push({ request: `${method} ${path}`, response, download });
    return response;
  }
  const post = (who: StackUser | TestUser, path: string, body: unknown = {}) =>
    send(who, 'POST', path, { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const patch = (who: StackUser | TestUser, path: string, body: unknown) =>
    send(who, 'PATCH', path, { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const get = (who: StackUser | TestUser, path: string) => send(who, 'GET', path);
  const campaignRows = async () => (await stack.db.admin.query('SELECT campaign_id, state FROM campaigns WHERE transition_id = $1', [transitionId])) as Array<{ campaign_id: string; state: string }>;
  const campaignEvents = async () => Number((await stack.db.admin.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'campaign.%'`))[0].n);

  let firstId = '';
  let campaignId = '';

  it('refuses hostile bodies naming field and rule, never the value, and records nothing', async () => {
    const cases: Array<{ body: string | Record<string, unknown>; field: RegExp; contentType?: string; value?: string }> = [
      { body: { fields: fields({ whereToAsk: `Vraag\u0000${secret}` }) }, field: /^fields\.whereToAsk .*control/, value: secret },
      { body: { fields: fields({ whatChanges: [`Anders\u0007${secret}`] }) }, field: /^fields\.whatChanges\.0 .*control/, value: secret },
      { body: { fields: fields({ whereToAsk: `${secret}${'x'.repeat(10_000)}` }) }, field: /^fields\.whereToAsk .*(300|shorter)/, value: secret },
      { body: `{"fields":${JSON.stringify(fields())},"__proto__":{"admin":"${secret}"}}`, field: /__proto__/, value: secret },
      { body: { fields: fields(), deadline: '9999-12-31' }, field: /^deadline .*go-live/ },
      { body: { fields: fields(), deadline: goLiveInDays(151) }, field: /^deadline .*go-live/ },
      { body: { fields: fields(), deadline: '2027-02-30' }, field: /^deadline .*real calendar date/ },
      { body: { fields: fields(), deadline: `20${secret}` }, field: /^deadline /, value: secret },
      { body: { fields: fields({ outgoing: { name: 'X', phone: '0', email: `geen-mail-${secret}`, website: 'https://x.example' } }) }, field: /^fields\.outgoing\.(phone|email) /, value: secret },
    ];
    for (const { body, field, value } of cases) {
      const answer = await post('coordinator', base, body);
      const messages: string[] = [].concat(answer.body?.message ?? []);
      expect({ body: typeof body === 'string' ? body.slice(0, 80) : Object.keys(body), status: answer.status }).toEqual({ body: expect.anything(), status: 400 });
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(field)]));
      if (value) expect(answer.text).not.toContain(value);
    }
    const wrongType = await send('coordinator', 'POST', base, { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ fields: fields() }) });
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect(wrongType.status).toBeLessThan(500);
    expect(await campaignRows()).toEqual([]);
    expect(await campaignEvents()).toBe(0);
  });

  it('creates a draft, cancels it, and a cancelled one cannot be cancelled again', async () => {
    const created = await post('coordinator', base, { fields: fields() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', version: 1, transitionId });
    firstId = created.body.campaignId;
    expect((await post('coordinator', `${base}/${firstId}/cancel`, { reason: 'Tekst klopt niet' })).body).toMatchObject({ state: 'cancelled' });
    expect((await post('coordinator', `${base}/${firstId}/cancel`, { reason: 'Nog een keer' })).status).toBe(409);
    expect((await patch('coordinator', `${base}/${firstId}`, { deadline: goLiveInDays(120) })).status).toBe(409);
  });

  it('makes exactly one campaign of 20 concurrent creates (201 once, 409 for the others)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('coordinator', base, { fields: fields() })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    campaignId = answers.find((a) => a.status === 201)!.body.campaignId;
    expect(campaignId).not.toBe(firstId);
    const list = await get('coordinator', base);
    expect(list.body.map((c: { campaignId: string; state: string }) => [c.campaignId, c.state])).toEqual([
      [firstId, 'cancelled'],
      [campaignId, 'draft'],
    ]);
  }, 120_000);

  it('answers 403 to providers, the auditor and another municipality on every campaign route', async () => {
    const c = `${base}/${campaignId}`;
    const routes: Array<[string, string, unknown?]> = [
      ['POST', base, { fields: fields() }],
      ['GET', base],
      ['GET', c],
      ['PATCH', c, { deadline: goLiveInDays(120) }],
      ['POST', `${c}/approve`, { expectedVersion: 1 }],
      ['POST', `${c}/pause`, { reason: 'Even wachten' }],
      ['POST', `${c}/resume`, {}],
      ['POST', `${c}/cancel`, { reason: 'Weg ermee' }],
      ['GET', `${c}/preview`],
      ['GET', `${c}/preview.pdf`],
      ['GET', `${c}/batches/1/letters.pdf`],
      ['GET', `${c}/batches/1/manifest.csv`],
      ['POST', `${c}/batches/1/handed-to-print`, {}],
      ['POST', `${c}/batches/1/posted`, {}],
    ];
    const found: string[] = [];
    for (const who of ['outgoing', 'incoming', 'auditor', enschede] as const) {
      for (const [method, path, body] of routes) {
        const answer = await send(who, method, path, body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (answer.status !== 403 || answer.body?.statusCode !== 403) found.push(`${typeof who === 'string' ? who : 'enschede'} ${method} ${path}: ${answer.status}`);
      }
    }
    expect(found).toEqual([]);
    expect((await send(null, 'GET', c)).status).toBe(401);
    expect((await get('coordinator', `/transitions/rotterdam.charlois.${goLiveDate}/campaigns`)).status).toBe(404);
    expect((await get('coordinator', `${base}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await get('coordinator', `${c}/batches/1/letters.pdf`)).status).toBe(404);
    const missing = await get('coordinator', `${c}/batches/1/manifest.csv`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404 });
    expect((await get('coordinator', base)).body).toHaveLength(2);
  });

  it('shows the preview: the e-mail as JSON and a sample letter as PDF', async () => {
    const preview = await get('coordinator', `${base}/${campaignId}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.email.subject).toMatch(/Feijenoord/);
    expect(preview.body.email.text).toContain('Buurtkracht');
    expect(preview.body.email.html).toContain('Buurtkracht');
    expect(preview.body.letterPdf).toBe(`${base}/${campaignId}/preview.pdf`);
    const pdf = await get('coordinator', preview.body.letterPdf);
    expect(pdf.status).toBe(200);
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  let version = 0;

  it('edits the draft; an approval of the version read before is stale (409)', async () => {
    const edited = await patch('coordinator', `${base}/${campaignId}`, { fields: fields({ whereToAsk: 'Loop binnen bij het buurthuis aan de Kreëlstraat.' }) });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ state: 'draft', version: 2, fields: { whereToAsk: 'Loop binnen bij het buurthuis aan de Kreëlstraat.', district: 'Feijenoord', goLiveDate } });
    expect((await get('coordinator', `${base}/${campaignId}/preview`)).body.email.text).toContain('Kreëlstraat');
    expect((await patch('coordinator', `${base}/${campaignId}`, { deadline: '9999-01-01' })).status).toBe(400);
    expect((await patch('coordinator', `${base}/${campaignId}`, { expectedVersion: 2 })).status).toBe(400);
    expect((await post('coordinator', `${base}/${campaignId}/approve`, { expectedVersion: 1 })).status).toBe(409);
    expect((await post('coordinator', `${base}/${campaignId}/approve`, { expectedVersion: 'twee' })).status).toBe(400);
    expect((await post('coordinator', `${base}/${campaignId}/pause`, { reason: 'Nog niet begonnen' })).status).toBe(409);
    expect((await post('coordinator', `${base}/${campaignId}/resume`, {})).status).toBe(409);
    version = (await get('coordinator', `${base}/${campaignId}`)).body.version;
    expect(version).toBe(2);
  });

  it('approves once of 20 concurrent approvals; an approved campaign cannot be edited (409)', async () => {
    const approvals = await Promise.all(
      Array.from({ length: 20 }, () => post('coordinator', `${base}/${campaignId}/approve`, { expectedVersion: version })),
    );
    expect(approvals.map((a) => a.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    const events: Array<{ type: string }> = await stack.db.admin.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [
      campaignIdOf(transitionId, campaignId),
    ]);
    expect(events.filter((e) => e.type === 'CampaignApproved')).toHaveLength(1);
    expect((await patch('coordinator', `${base}/${campaignId}`, { deadline: goLiveInDays(120) })).status).toBe(409);
    expect((await post('coordinator', base, { fields: fields() })).status).toBe(409);
  }, 120_000);

  it('pauses and resumes as documented', async () => {
    const paused = await post('coordinator', `${base}/${campaignId}/pause`, { reason: 'Even wachten' });
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe('paused');
    expect((await post('coordinator', `${base}/${campaignId}/pause`, { reason: 'Nog eens' })).status).toBe(409);
    const resumed = await post('coordinator', `${base}/${campaignId}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(['approved', 'sending', 'completed']).toContain(resumed.body.state);
    expect((await post('coordinator', `${base}/${campaignId}/resume`, {})).status).toBe(409);
  });

  let progress: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('sends the e-mails and renders 3 print files of at most 1,000 letters, sorted by postcode', async () => {
    await eventually(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const answer = await get('coordinator', `${base}/${campaignId}`);
      expect(answer.status).toBe(200);
      progress = answer.body;
      expect(progress.recipients.email).toEqual({ sent: SUBSCRIBERS - REFUSED, bounced: REFUSED });
      expect(progress.batches).toHaveLength(3);
    }, 300_000);
    expect(progress).toMatchObject({ state: 'sending', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), behindSchedule: false });
    expect(progress.deadline < goLiveDate).toBe(true);
    expect(progress.ratePerHour).toBeGreaterThan(0);
    expect(Date.parse(progress.projectedFinish)).not.toBeNaN();
    expect(progress.recipients.letter).toEqual({ batched: ADDRESSES + FALLBACK });
    expect(progress.batches.map((b: { letters: number }) => b.letters)).toEqual([1_000, 1_000, ADDRESSES + FALLBACK - 2_000]);
    expect(progress.shareDone).toBeGreaterThan(0);
    expect(progress.shareDone).toBeLessThan(1);
    // Every e-mail accepted arrived once, each by its own Message-ID; the refused ones never.
    const counts = smtp.countsByMessageId();
    expect(smtp.received).toHaveLength(SUBSCRIBERS - REFUSED);
    expect(counts.size).toBe(SUBSCRIBERS - REFUSED);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received.filter((mail) => mail.to.some(refused))).toEqual([]);
  }, 320_000);

  it('gives each print file (PDF) and its manifest (CSV, sorted by postcode and house number)', async () => {
    for (const { batchNo, letters } of progress.batches) {
      const pdf = await send('coordinator', 'GET', `${base}/${campaignId}/batches/${batchNo}/letters.pdf`, {}, true);
      expect(pdf.status).toBe(200);
      expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
      const manifest = await send('coordinator', 'GET', `${base}/${campaignId}/batches/${batchNo}/manifest.csv`, {}, true);
      expect(manifest.status).toBe(200);
      const rows = manifest.text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((line) => line.split(';'));
      expect(rows).toHaveLength(letters);
      const keys = rows.map((row) => `${row[3]} ${row[4].padStart(6, '0')} ${row[5]}`);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('marks each print file handed to print, then posted; the campaign completes', async () => {
    const c = `${base}/${campaignId}`;
    expect((await post('coordinator', `${c}/batches/1/posted`)).status).toBe(409);
    expect((await post('coordinator', `${c}/batches/99/handed-to-print`)).status).toBe(404);
    for (const { batchNo } of progress.batches) {
      expect((await post('coordinator', `${c}/batches/${batchNo}/handed-to-print`)).status).toBe(200);
      expect((await post('coordinator', `${c}/batches/${batchNo}/handed-to-print`)).status).toBe(409);
    }
    for (const { batchNo } of progress.batches) expect((await post('coordinator', `${c}/batches/${batchNo}/posted`)).status).toBe(200);
    expect((await post('coordinator', `${c}/batches/1/posted`)).status).toBe(409);
    const done = await get('coordinator', c);
    expect(done.body).toMatchObject({ state: 'completed', shareDone: 1, recipients: { letter: { posted: ADDRESSES + FALLBACK } } });
    expect(done.body.finishedAt).not.toBeNull();
    expect((await post('coordinator', `${c}/cancel`, { reason: 'Te laat' })).status).toBe(409);
    expect((await post('coordinator', `${c}/pause`, { reason: 'Te laat' })).status).toBe(409);
    expect((await post('coordinator', base, { fields: fields() })).status).toBe(409);
  }, 120_000);

  it("meets the handover's residents-informed milestone with the counts, and shows the share done", async () => {
    await eventually(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const detail = await get('coordinator', `/transitions/${transitionId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.milestones.find((m: { key?: string; id?: string }) => (m.key ?? m.id) === 'residents-informed')).toMatchObject({ met: true });
      const completed = detail.body.timeline.find((e: { type: string }) => e.type === 'ResidentCampaignCompleted');
      expect(completed?.data).toEqual({
        campaignId,
        emailsSent: SUBSCRIBERS - REFUSED,
        emailsBounced: REFUSED,
        lettersPosted: ADDRESSES + FALLBACK,
        fallbackLetters: FALLBACK,
        skipped: 0,
      });
      expect(detail.body.campaign).toMatchObject({ campaignId, state: 'completed', shareDone: 1 });
    }, 60_000);
    const list = await get('coordinator', '/transitions');
    expect(list.body.items.find((t: { transitionId: string }) => t.transitionId === transitionId).campaign).toMatchObject({ campaignId, shareDone: 1 });
  }, 90_000);

  it('keeps the subscribers\' e-mail addresses out of events and the campaign and handover workflow histories', async () => {
    const all = JSON.stringify(await stack.db.admin.query('SELECT type, data, metadata FROM events'));
    expect(all).toContain('EmailPageSent');
    expect(traces.foundIn(all)).toEqual([]);
    // The ledger and the read model: ids, states and SMTP codes only (a 550 answer quotes the address).
    const ledger = JSON.stringify(await stack.db.admin.query('SELECT * FROM campaign_recipients'));
    expect(ledger).toContain('bounced');
    expect(traces.foundIn(ledger + JSON.stringify(await stack.db.admin.query('SELECT * FROM campaigns')))).toEqual([]);
    const codec = new EncryptionCodec(Buffer.from(stack.payloadKey, 'base64'));
    const leaking: unknown[] = [];
    for (const id of [campaignIdOf(transitionId, firstId), campaignIdOf(transitionId, campaignId), transitionId]) {
      for (const { runId, history } of await stack.cli.histories(id)) {
        const found = traces.foundIn(readableText(history));
        const decrypted = traces.foundIn((await decryptedPayloads(history, codec)).join('\n'));
        if (found.length + decrypted.length > 0) leaking.push({ id, runId, found, decrypted });
      }
    }
    expect(leaking).toEqual([]);
  }, 300_000);

  it('shows the marker in no JSON answer and no log line', async () => {
    const leaking = answers
      .filter(({ download }) => !download)
      .map(({ request, response }) => ({ request, status: response.status, found: traces.foundIn(response.bytes) }))
      .filter(({ found }) => found.length > 0);
    expect(leaking).toEqual([]);
    await service!.stop(30_000);
    const output = service!.fullOutput();
    expect(output).toContain('/campaigns');
    expect(traces.foundIn(output)).toEqual([]);
  }, 60_000);
});
