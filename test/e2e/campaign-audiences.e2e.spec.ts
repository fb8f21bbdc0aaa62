import { randomBytes } from 'node:crypto';
import { createTestUser, TestUser } from '../support/access';
import { sampleAddressList, sampleSubscriberList } from '../../src/demo/sample-audiences';
import { Traces } from '../support/personal-data-traces';
import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { Answer, ServiceStack, StackUser } from '../support/service-stack';

/**
 * The campaign audiences over HTTP, the service as `npm start` runs it (a process of its own,
 * logging at trace) on a real Temporal dev server and PostgreSQL: the coordinator imports the
 * district's addresses and the e-mail subscribers, a repeat changes nothing, bad files are
 * refused naming line, column and rule, others may not import, counts are read, a subscriber is
 * erased. A marker in every street, name and e-mail address is found in no log line, no error
 * answer, no count and no event.
 */
describe('campaign audiences over HTTP', () => {
  const secret = randomBytes(6).toString('hex');
  const goLiveDate = goLiveInDays(150);
  const transitionId = `rotterdam.feijenoord.${goLiveDate}`;
  const base = `/transitions/${transitionId}/audiences`;
  const traces = new Traces({ marker: secret });

  let stack: ServiceStack;
  let service: ServiceProcess | undefined;
  let enschede: TestUser;
  const answers: Array<{ request: string; response: Answer }> = [];

  beforeAll(async () => {
    stack = await ServiceStack.start('campaign-audiences');
    enschede = await createTestUser(stack.db.app, 'coordinator', 'enschede');
    service = await stack.startApi('service', { LOG_LEVEL: 'trace' });
    const created = await json('coordinator', '/transitions', {
      municipality: 'rotterdam',
      district: 'feijenoord',
      outgoingProvider: 'welzijn-maas',
      incomingProvider: 'buurtkracht',
      goLiveDate,
    });
    expect(created.status).toBe(201);
  }, 600_000);

  afterAll(async () => {
    const left = (await stack?.stop()) ?? [];
    expect(left).toEqual([]);
  }, 120_000);

  async function send(who: StackUser | TestUser | null, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
    const response =
      who !== null && typeof who === 'object'
        ? await stack.request(null, method, path, { ...init, headers: { ...init.headers, authorization: `Bearer ${who.token}` } })
        : await stack.request(who, method, path, init);
    answers.push({ request: `${method} ${path}`, response });
    return response;
  }
  const json = (who: StackUser | TestUser, path: string, body: unknown) =>
    send(who, 'POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const csv = (who: StackUser | TestUser | null, kind: 'addresses' | 'subscribers', file: Buffer | string, contentType = 'text/csv') =>
    send(who, 'POST', `${base}/${kind}`, { headers: { 'content-type': contentType }, body: file });

  const addresses = sampleAddressList(600, { marker: secret });
  const firstAddresses = Buffer.from(addresses.toString('utf8').split('\r\n').slice(0, 501).join('\r\n') + '\r\n');
  const subscribers = sampleSubscriberList(30, { marker: secret });
  const subscriberEmail = (n: number) => `bewoner${String(n).padStart(5, '0')}${secret}@${['example.org', 'example.net', 'example.com'][n % 3]}`;

  let firstImportId = '';

  it('imports the addresses (201), and the same file again changes nothing (200)', async () => {
    const first = await csv('coordinator', 'addresses', firstAddresses);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'addresses', rows: 500, newRows: 500, repeated: false });
    firstImportId = first.body.importId;

    const again = await csv('coordinator', 'addresses', firstAddresses);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ importId: firstImportId, rows: 500, newRows: 500, repeated: true });

    // A longer list: the known 500 are kept as they are, 100 are new.
    const longer = await csv('coordinator', 'addresses', addresses);
    expect(longer.status).toBe(201);
    expect(longer.body).toMatchObject({ rows: 600, newRows: 100, repeated: false });
  });

  it('refuses a wrong content type (415)', async () => {
    expect((await csv('coordinator', 'addresses', firstAddresses, 'application/json')).status).toBe(415);
    expect((await csv('coordinator', 'subscribers', subscribers, 'text/plain')).status).toBe(415);
  });

  it('refuses a bad row whole (400), naming line, column and rule, never the value', async () => {
    const file = `straat;huisnummer;toevoeging;postcode;woonplaats\r\nKreëlstraat${secret};12;;3071 AB;Rotterdam\r\nKreëlstraat${secret};13;;PC${secret};Rotterdam\r\nKreël\u0007${secret};14;;3071 AB;Rotterdam\r\n`;
    const refused = await csv('coordinator', 'addresses', file);
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([
      { line: 3, column: 'postcode', rule: 'is not a Dutch postcode (1234 AB)' },
      { line: 4, column: 'straat', rule: 'holds a control character' },
    ]);
    const badSubscriber = await csv('coordinator', 'subscribers', `e-mail;naam\r\nmail ${secret}@example.org;Naam ${secret}\r\n`);
    expect(badSubscriber.status).toBe(400);
    expect(badSubscriber.body.problems).toEqual([{ line: 2, column: 'e-mail', rule: expect.stringContaining('is not an e-mail address') }]);
  });

  it('lets only the coordinator of the municipality import (403), and knows no other handover (404)', async () => {
    expect((await csv('outgoing', 'addresses', firstAddresses)).status).toBe(403);
    expect((await csv('incoming', 'subscribers', subscribers)).status).toBe(403);
    expect((await csv('auditor', 'addresses', firstAddresses)).status).toBe(403);
    expect((await csv(enschede, 'addresses', firstAddresses)).status).toBe(403);
    expect((await csv(enschede, 'subscribers', subscribers)).status).toBe(403);
    expect((await csv(null, 'addresses', firstAddresses)).status).toBe(401);
    const elsewhere = await send('coordinator', 'POST', `/transitions/rotterdam.charlois.${goLiveDate}/audiences/addresses`, {
      headers: { 'content-type': 'text/csv' },
      body: firstAddresses,
    });
    expect(elsewhere.status).toBe(404);
  });

  it('imports subscribers, their personal data sealed', async () => {
    const imported = await csv('coordinator', 'subscribers', subscribers);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ kind: 'subscribers', rows: 30, newRows: 30, repeated: false });
    expect((await csv('coordinator', 'subscribers', subscribers)).body).toMatchObject({ importId: imported.body.importId, repeated: true });

    const rows: Array<{ personal_data: Buffer; has_address: boolean }> = await stack.db.admin.query(
      'SELECT personal_data, has_address FROM campaign_subscribers WHERE transition_id = $1',
      [transitionId],
    );
    expect(rows).toHaveLength(30);
    expect(rows.filter((row) => row.has_address)).toHaveLength(10);
    for (const row of rows) expect(traces.foundIn(row.personal_data.toString('latin1'))).toEqual([]);
  });

  it('answers counts to the coordinator and the providers of the handover, not to others', async () => {
    const counts = await send('coordinator', 'GET', base);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ addresses: 600, subscribers: 30, subscribersWithAddress: 10 });
    expect(counts.body.imports.map((i: { kind: string; rows: number; newRows: number }) => [i.kind, i.rows, i.newRows])).toEqual([
      ['addresses', 500, 500],
      ['addresses', 600, 100],
      ['subscribers', 30, 30],
    ]);
    expect((await send('incoming', 'GET', base)).body).toEqual(counts.body);
    expect((await send('outgoing', 'GET', base)).status).toBe(200);
    expect((await send(enschede, 'GET', base)).status).toBe(403);
    expect((await send('auditor', 'GET', base)).status).toBe(403);
    expect((await send('coordinator', 'GET', `/transitions/rotterdam.charlois.${goLiveDate}/audiences`)).status).toBe(404);
  });

  it('erases a subscriber (204), the same answer for one never known', async () => {
    const erase = (who: StackUser | TestUser, body: unknown) => json(who, `${base}/subscribers/erase`, body);
    expect((await erase('coordinator', { email: subscriberEmail(3).toUpperCase() })).status).toBe(204);
    expect((await send('coordinator', 'GET', base)).body).toMatchObject({ subscribers: 29, subscribersWithAddress: 9 });
    expect((await erase('coordinator', { email: subscriberEmail(3) })).status).toBe(204);
    expect((await erase('coordinator', { email: `nooit${secret}@example.org` })).status).toBe(204);
    expect((await send('coordinator', 'GET', base)).body).toMatchObject({ subscribers: 29 });
    expect((await erase('outgoing', { email: subscriberEmail(4) })).status).toBe(403);
    expect((await erase(enschede, { email: subscriberEmail(4) })).status).toBe(403);
    expect((await erase('coordinator', { email: 5 })).status).toBe(400);
    expect((await send('coordinator', 'GET', base)).body).toMatchObject({ subscribers: 29 });
  });

  it('records events with counts only', async () => {
    const events: Array<{ type: string; data: Record<string, unknown>; metadata: unknown }> = await stack.db.admin.query(
      'SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`audience.${transitionId}`],
    );
    expect(events.map((event) => event.type)).toEqual(['AudienceImported', 'AudienceImported', 'AudienceImported', 'SubscriberErased']);
    expect(events[0].data).toEqual({ importId: firstImportId, kind: 'addresses', rows: 500, newRows: 500 });
    expect(Object.keys(events[3].data)).toEqual(['subscriberId']);
    const all = JSON.stringify(await stack.db.admin.query('SELECT data, metadata FROM events'));
    expect(traces.foundIn(all)).toEqual([]);
  });

  it('shows the marker in no answer and no log line', async () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const { request, response } of answers) expect({ request, found: traces.foundIn(response.bytes) }).toEqual({ request, found: [] });
    await service!.stop(30_000);
    const output = service!.fullOutput();
    expect(output.length).toBeGreaterThan(1_000);
    expect(output).toContain('/audiences/addresses'); // the requests were logged, the values not
    expect(traces.foundIn(output)).toEqual([]);
  }, 60_000);
});
