import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { transferIdOf } from '../../src/clients/client.events';
import { Projector } from '../../src/events/projector.service';
import { amsterdamToday } from '../../src/time/amsterdam';
import { addDays, addYears } from '../../src/time/calendar';
import { clientList } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/** In every personal field the list has room for (names, street, note): nobody but whom the rules allow may ever see it. */
const MARKER = 'Qx7Marker';
const today = amsterdamToday();
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), randomBytes(4096), Buffer.from('\n%%EOF\n', 'latin1')]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(2048)]);

/**
 * Client transfers over HTTP, after the import: who may send which command and read what, who
 * sees personal data, one client's whole walk with its file, bulk commands, hostile input and
 * erasure. The Nest app with its worker, a real Temporal dev server and a real PostgreSQL.
 */
describe('client transfers over HTTP (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const goLiveDate = goLiveInDays(150);
  /** Enschede's Centrum: stadsdeelwerk hands over to the consortium twentse-wijkalliantie (jongerenpunt is a member). */
  const handover = `enschede.centrum.${goLiveDate}`;
  const rotterdam = `rotterdam.feijenoord.${goLiveDate}`;
  const CLIENTS = 74;
  let pseudonyms: string[] = [];
  let foreign: string;
  /** Clients set aside per test, so each starts from a step it knows. */
  const take = (() => {
    let next = 0;
    return (count = 1) => {
      const taken = pseudonyms.slice(next, next + count);
      next += count;
      if (taken.length < count) throw new Error('not enough clients seeded');
      return taken;
    };
  })();

  beforeAll(async () => {
    api = await startApi('client-transfers-e2e', [
      ['coordinator', 'coordinator', 'enschede'],
      ['otherCoordinator', 'coordinator', 'rotterdam'],
      ['auditor', 'auditor', 'enschede'],
      ['otherAuditor', 'auditor', 'rotterdam'],
      ['outgoing', 'provider', 'stadsdeelwerk'],
      ['incoming', 'provider', 'twentse-wijkalliantie'],
      ['member', 'provider', 'jongerenpunt'],
      ['bystander', 'provider', 'welzijn-maas'],
    ]);
    expect(api.users.member.user.actingFor).toEqual(expect.arrayContaining(['jongerenpunt', 'twentse-wijkalliantie']));

    const plan = (municipality: string, district: string, outgoingProvider: string, incomingProvider: string) => ({
      municipality, district, outgoingProvider, incomingProvider, goLiveDate,
    });
    await post('/transitions', plan('enschede', 'centrum', 'stadsdeelwerk', 'twentse-wijkalliantie'), 'coordinator').expect(201);
    await post('/transitions', plan('rotterdam', 'feijenoord', 'welzijn-maas', 'buurtkracht'), 'otherCoordinator').expect(201);
    await importClients(handover, 'outgoing', clientList(CLIENTS, { marker: MARKER }));
    await importClients(rotterdam, 'bystander', clientList(1, { first: 1000, marker: MARKER }));
    pseudonyms = await allPseudonyms(handover, 'outgoing');
    [foreign] = await allPseudonyms(rotterdam, 'bystander');
    expect(pseudonyms).toHaveLength(CLIENTS);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = (who: string) => ({ authorization: `Bearer ${api.users[who].token}` });
  const server = () => api.app.getHttpServer();
  const get = (path: string, who: string) => request(server()).get(path).set(as(who));
  const post = (path: string, body: object, who: string) => request(server()).post(path).set(as(who)).send(body);
  const upload = (pseudonym: string, bytes: Buffer, type: string, who = 'outgoing') =>
    request(server()).post(`/clients/${pseudonym}/file`).set(as(who)).set('content-type', type).send(bytes);
  const download = (pseudonym: string, who: string) =>
    get(`/clients/${pseudonym}/file`, who)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const eventsOf = (pseudonym: string, transitionId = handover) =>
    api.db.app.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [transferIdOf(transitionId, pseudonym)]).then(([row]) => row.n as number);
  const typesOf = (pseudonym: string) =>
    api.db.app
      .query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version', [transferIdOf(handover, pseudonym)])
      .then((rows: Array<{ type: string; data: Record<string, unknown> }>) => rows);
  const files = () => api.db.admin.query('SELECT count(*)::int AS n FROM client_files').then(([row]) => row.n as number);

  async function importClients(transitionId: string, who: string, csv: Buffer): Promise<void> {
    const accepted = await request(server())
      .post(`/transitions/${transitionId}/clients/import`)
      .set(as(who))
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(202);
    await eventually(async () => {
      const progress = await get(`/transitions/${transitionId}/clients/imports/${accepted.body.importId}`, who).expect(200);
      expect(progress.body).toMatchObject({ state: 'finished', listed: progress.body.newClients });
    }, 60_000);
  }

  async function allPseudonyms(transitionId: string, who: string): Promise<string[]> {
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await get(`/transitions/${transitionId}/clients?limit=10${cursor ? `&cursor=${cursor}` : ''}`, who).expect(200);
      found.push(...page.body.items.map((item: { pseudonym: string }) => item.pseudonym));
      cursor = page.body.nextCursor;
    } while (cursor);
    return found;
  }

  /** Moves a client on to a step, as its providers would. */
  async function walkTo(pseudonym: string, step: 'informed' | 'consent-given' | 'file-transferred' | 'intake-planned'): Promise<void> {
    await post(`/clients/${pseudonym}/informed`, { date: today, channel: 'letter' }, 'outgoing').expect(200);
    if (step === 'informed') return;
    await post(`/clients/${pseudonym}/consent`, { given: true, date: today }, 'outgoing').expect(200);
    if (step === 'consent-given') return;
    await upload(pseudonym, PDF, 'application/pdf').expect(200);
    if (step === 'file-transferred') return;
    await post(`/clients/${pseudonym}/intake`, { date: addDays(today, 7) }, 'incoming').expect(200);
  }

  describe('listing and paging', () => {
    it('pages a handover by pseudonym, every client once', async () => {
      expect([...pseudonyms].sort()).toEqual(pseudonyms);
      expect(new Set(pseudonyms).size).toBe(CLIENTS);
      const first = await get(`/transitions/${handover}/clients?limit=500`, 'coordinator').expect(200);
      expect(first.body.items.map((item: { pseudonym: string }) => item.pseudonym)).toEqual(pseudonyms);
      expect(first.body.nextCursor).toBeNull();
      expect((await get(`/transitions/${handover}/clients`, 'coordinator').expect(200)).body.items).toHaveLength(CLIENTS);
    });

    it.each([
      ['limit 0', 'limit=0', 'limit must be a whole number from 1 to 500'],
      ['limit 501', 'limit=501', 'limit must be a whole number from 1 to 500'],
      ['a word for a limit', 'limit=ten', 'limit must be a whole number from 1 to 500'],
      ['an unknown step', 'step=sleeping', 'step must be one of'],
      ['a name for a target group', 'targetGroup=Jan%20Jansen', 'targetGroup must be one of'],
      ['stalled neither true nor false', 'stalled=maybe', 'stalled must be true or false'],
      ['a 10,000-character cursor', `cursor=${'a'.repeat(10_000)}`, 'cursor must be the nextCursor of a page'],
      ['NUL in the cursor', 'cursor=%00', 'must not contain control characters'],
      ['an unknown parameter', 'unknown=1', 'unknown property'],
    ])('refuses %s with 400 naming the rule, never the value', async (_case, query, message) => {
      const response = await get(`/transitions/${handover}/clients?${query}`, 'outgoing').expect(400);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect(JSON.stringify(response.body)).not.toMatch(/Jansen|aaaaaaaaaa|sleeping|maybe/);
    });
  });

  describe('who may do what', () => {
    type Who = 'outgoing' | 'incoming' | 'member' | 'bystander' | 'coordinator' | 'otherCoordinator' | 'auditor' | 'otherAuditor';
    const everyone: Who[] = ['outgoing', 'incoming', 'member', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor'];

    it.each([
      ['informed', { date: today, channel: 'letter' }, ['incoming', 'member', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
      ['consent', { given: true, date: today }, ['incoming', 'member', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
      ['intake', { date: addDays(today, 3) }, ['outgoing', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
      ['accept', { date: today }, ['outgoing', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
      ['end', { reason: 'moved-away' }, ['bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
      ['erase', { reason: 'At the request of the client, by letter' }, ['incoming', 'member', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']],
    ] as const)('refuses %s to everyone but its provider with 403, recording nothing', async (command, body, refused) => {
      const [pseudonym] = take();
      await walkTo(pseudonym, 'file-transferred');
      const before = await eventsOf(pseudonym);
      for (const who of refused) {
        const response = await post(`/clients/${pseudonym}/${command}`, body, who);
        expect([who, response.status]).toEqual([who, 403]);
        expect(JSON.stringify(response.body)).not.toContain(MARKER);
      }
      expect(await eventsOf(pseudonym)).toBe(before);
    });

    it('refuses the file to everyone but the outgoing provider with 403, storing nothing', async () => {
      const [pseudonym] = take();
      await walkTo(pseudonym, 'consent-given');
      const [before, stored] = [await eventsOf(pseudonym), await files()];
      for (const who of ['incoming', 'member', 'bystander', 'coordinator', 'otherCoordinator', 'auditor', 'otherAuditor']) {
        expect([who, (await upload(pseudonym, PDF, 'application/pdf', who)).status]).toEqual([who, 403]);
      }
      expect([await eventsOf(pseudonym), await files()]).toEqual([before, stored]);
      await upload(pseudonym, PDF, 'application/pdf').expect(200);
    });

    it('lets one of two identical commands sent at once through; the other gets 409', async () => {
      const [pseudonym] = take();
      const before = await eventsOf(pseudonym);
      const answers = await Promise.all([
        post(`/clients/${pseudonym}/informed`, { date: today, channel: 'letter' }, 'outgoing'),
        post(`/clients/${pseudonym}/informed`, { date: today, channel: 'phone' }, 'outgoing'),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(await eventsOf(pseudonym)).toBe(before + 1);
    });

    it('lets either provider, and a member of the incoming consortium, end a transfer', async () => {
      for (const who of ['outgoing', 'incoming', 'member']) {
        const [pseudonym] = take();
        const ended = await post(`/clients/${pseudonym}/end`, { reason: 'moved-away' }, who).expect(200);
        expect(ended.body).toMatchObject({ pseudonym, step: 'ended', endReason: 'moved-away', finishedAt: expect.any(String) });
        await post(`/clients/${pseudonym}/end`, { reason: 'deceased' }, who).expect(409);
      }
    });

    it('answers reads by role: detail, list, file download, counts', async () => {
      const [pseudonym] = take();
      await walkTo(pseudonym, 'file-transferred');
      const expected: Record<string, Record<Who, number>> = {
        [`/clients/${pseudonym}`]: { outgoing: 200, incoming: 200, member: 200, bystander: 403, coordinator: 200, otherCoordinator: 403, auditor: 403, otherAuditor: 403 },
        [`/transitions/${handover}/clients`]: { outgoing: 200, incoming: 200, member: 200, bystander: 403, coordinator: 200, otherCoordinator: 403, auditor: 403, otherAuditor: 403 },
        [`/clients/${pseudonym}/file`]: { outgoing: 200, incoming: 200, member: 200, bystander: 403, coordinator: 403, otherCoordinator: 403, auditor: 403, otherAuditor: 403 },
        [`/transitions/${handover}/clients/counts`]: { outgoing: 200, incoming: 200, member: 200, bystander: 403, coordinator: 200, otherCoordinator: 403, auditor: 200, otherAuditor: 403 },
        '/me/clients': { outgoing: 200, incoming: 200, member: 200, bystander: 200, coordinator: 403, otherCoordinator: 403, auditor: 403, otherAuditor: 403 },
      };
      for (const [path, statuses] of Object.entries(expected)) {
        for (const who of everyone) {
          const before = await eventsOf(pseudonym);
          const response = await get(path, who);
          expect([path, who, response.status]).toEqual([path, who, statuses[who]]);
          // Only a download is recorded: one event, for the ones who got the file.
          const downloaded = path.endsWith('/file') && response.status === 200 ? 1 : 0;
          expect(await eventsOf(pseudonym)).toBe(before + downloaded);
        }
      }
      await get(`/clients/${'0'.repeat(20)}`, 'outgoing').expect(404);
      await get(`/transitions/enschede.noord.${goLiveDate}/clients`, 'coordinator').expect(404);
    });

    it('keeps the incoming provider from a file before consent; the outgoing one gets 404 while there is none', async () => {
      const [pseudonym] = take();
      await walkTo(pseudonym, 'informed');
      const refused = await get(`/clients/${pseudonym}/file`, 'incoming').expect(403);
      expect(refused.body.message).toBe('the incoming provider sees the file only once the client has consented');
      await get(`/clients/${pseudonym}/file`, 'outgoing').expect(404);
    });
  });

  describe('who sees personal data', () => {
    let listed: string;
    let consented: string;
    let declined: string;

    beforeAll(async () => {
      [listed, consented, declined] = take(3);
      await walkTo(consented, 'consent-given');
      await post(`/clients/${declined}/informed`, { date: today, channel: 'phone' }, 'outgoing').expect(200);
      await post(`/clients/${declined}/consent`, { given: false, date: today }, 'outgoing').expect(200);
    });

    const detail = (pseudonym: string, who: string) => get(`/clients/${pseudonym}`, who).expect(200);

    it('shows the outgoing provider everything, at every step', async () => {
      for (const pseudonym of [listed, consented, declined]) {
        const response = await detail(pseudonym, 'outgoing');
        expect(response.text).toContain(MARKER);
        expect(response.body).toMatchObject({
          pseudonym,
          role: 'outgoing',
          erased: false,
          personalData: {
            firstName: expect.stringContaining(MARKER),
            lastName: expect.stringContaining(MARKER),
            street: expect.stringContaining(MARKER),
            note: expect.stringContaining(MARKER),
            birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
            email: expect.stringContaining('@example.org'),
          },
          dates: { listedAt: expect.any(String) },
        });
      }
    });

    it('shows the incoming provider (and its consortium member) personal data only once the client consented', async () => {
      for (const who of ['incoming', 'member']) {
        for (const pseudonym of [listed, declined]) {
          const response = await detail(pseudonym, who);
          expect(response.text).not.toContain(MARKER);
          expect(response.text).not.toContain('@example.org');
          expect(response.body.personalData).toBeUndefined();
          expect(response.body).toMatchObject({ pseudonym, role: 'incoming', targetGroup: expect.any(String), step: expect.any(String), dates: expect.any(Object) });
        }
        const response = await detail(consented, who);
        expect(response.body.personalData.firstName).toContain(MARKER);
        expect(response.body.next).toEqual({ action: 'transfer-file', by: 'outgoing', yourMove: false });
      }
    });

    it('never shows a coordinator or an auditor personal data: codes and counts only', async () => {
      for (const pseudonym of [listed, consented, declined]) {
        const response = await detail(pseudonym, 'coordinator');
        expect(Object.keys(response.body).sort()).toEqual(['finished', 'pseudonym', 'stalled', 'step', 'targetGroup', 'transitionId']);
      }
      const list = await get(`/transitions/${handover}/clients?limit=500`, 'coordinator').expect(200);
      expect(list.text).not.toContain(MARKER);
      expect(list.text).not.toContain('@example.org');
      for (const who of ['coordinator', 'auditor']) {
        const counts = await get(`/transitions/${handover}/clients/counts`, who).expect(200);
        expect(counts.text).not.toContain(MARKER);
        for (const pseudonym of pseudonyms) expect(counts.text).not.toContain(pseudonym);
      }
      const summary = await get(`/transitions/${handover}`, 'coordinator').expect(200);
      expect(summary.text).not.toContain(MARKER);
    });

    it('lists with personal data by the same rule', async () => {
      const outgoing = await get(`/transitions/${handover}/clients?limit=500`, 'outgoing').expect(200);
      expect(outgoing.body.items.every((item: { personalData?: { firstName: string } }) => item.personalData?.firstName.includes(MARKER))).toBe(true);
      for (const path of [`/transitions/${handover}/clients?limit=500`, '/me/clients?limit=500']) {
        const incoming = await get(path, 'incoming').expect(200);
        for (const item of incoming.body.items) {
          const consented = item.dates.consentOn !== null && item.step !== 'declined';
          expect([item.pseudonym, item.personalData === undefined]).toEqual([item.pseudonym, !consented]);
          expect([item.pseudonym, JSON.stringify(item).includes(MARKER)]).toEqual([item.pseudonym, consented && !item.erased]);
        }
        expect(incoming.body.items.find((item: { pseudonym: string }) => item.pseudonym === consented).personalData.lastName).toContain(MARKER);
        expect(incoming.body.items.find((item: { pseudonym: string }) => item.pseudonym === listed).personalData).toBeUndefined();
      }
    });

    it("shows providers their own transfers with their role and what comes next; nobody else's", async () => {
      const mine = await get('/me/clients?limit=500', 'outgoing').expect(200);
      expect(mine.body.items.map((item: { pseudonym: string }) => item.pseudonym)).toEqual(pseudonyms);
      expect(mine.body.items.find((item: { pseudonym: string }) => item.pseudonym === listed)).toMatchObject({
        role: 'outgoing', step: 'listed', next: { action: 'inform', by: 'outgoing', yourMove: true },
      });
      expect(mine.body.items.find((item: { pseudonym: string }) => item.pseudonym === declined)).toMatchObject({ finished: true, next: null });
      const theirs = await get('/me/clients?limit=500', 'member').expect(200);
      expect(theirs.body.items.find((item: { pseudonym: string }) => item.pseudonym === listed)).toMatchObject({
        role: 'incoming', next: { action: 'inform', by: 'outgoing', yourMove: false },
      });
      const bystander = await get('/me/clients', 'bystander').expect(200);
      expect(bystander.body.items.map((item: { pseudonym: string }) => item.pseudonym)).toEqual([foreign]);
      const filtered = await get('/me/clients?step=declined', 'incoming').expect(200);
      expect(filtered.body.items.map((item: { pseudonym: string }) => item.pseudonym)).toContain(declined);
      expect(filtered.body.items.every((item: { step: string }) => item.step === 'declined')).toBe(true);
    });

    it('marks a step stalled once its business days have passed', async () => {
      const [waiting] = take();
      await walkTo(waiting, 'informed');
      expect((await get('/me/clients?stalled=true&limit=500', 'outgoing').expect(200)).body.items).toEqual([]);
      await api.db.admin.query("UPDATE client_transfers SET step_since = step_since - interval '30 days' WHERE pseudonym = $1", [waiting]);
      const stalled = await get('/me/clients?stalled=true', 'outgoing').expect(200);
      expect(stalled.body.items.map((item: { pseudonym: string }) => item.pseudonym)).toEqual([waiting]);
      expect(stalled.body.items[0]).toMatchObject({ stalled: true, next: { action: 'record-consent', yourMove: true } });
      expect((await get(`/transitions/${handover}/clients/counts`, 'auditor').expect(200)).body.stalled).toBe(1);
      const notStalled = await get('/me/clients?stalled=false&limit=500', 'outgoing').expect(200);
      expect(notStalled.body.items.map((item: { pseudonym: string }) => item.pseudonym)).not.toContain(waiting);
    });
  });

  describe('one client, every step', () => {
    it('walks from listed to accepted, the file up and down, every step an event', async () => {
      const [pseudonym] = take();
      const at = (response: request.Response, step: string) => expect(response.body).toMatchObject({ pseudonym, transitionId: handover, step });
      at(await post(`/clients/${pseudonym}/informed`, { date: addDays(today, -3), channel: 'in-person' }, 'outgoing').expect(200), 'informed');
      await post(`/clients/${pseudonym}/intake`, { date: today }, 'incoming').expect(409);
      at(await post(`/clients/${pseudonym}/consent`, { given: true, date: addDays(today, -1) }, 'outgoing').expect(200), 'consent-given');

      const sent = await upload(pseudonym, ZIP, 'application/zip').expect(200);
      at(sent, 'file-transferred');
      expect(sent.body.file).toMatchObject({ mediaType: 'application/zip', bytes: ZIP.length, fileId: expect.any(String) });
      const [stored] = await api.db.admin.query('SELECT content FROM client_files WHERE file_id = $1', [sent.body.file.fileId]);
      expect(stored.content.includes(ZIP.subarray(0, 64))).toBe(false); // encrypted
      await upload(pseudonym, ZIP, 'application/zip').expect(409);

      const head = await request(server()).head(`/clients/${pseudonym}/file`).set(as('incoming')).expect(200);
      expect(head.headers['content-length']).toBe(String(ZIP.length));
      for (const who of ['incoming', 'outgoing']) {
        const got = await download(pseudonym, who).expect(200);
        expect(got.headers['content-type']).toBe('application/zip');
        expect(got.headers['content-disposition']).toBe(`attachment; filename="${pseudonym}.zip"`);
        expect(Buffer.compare(got.body as Buffer, ZIP)).toBe(0);
      }
      at(await post(`/clients/${pseudonym}/intake`, { date: addDays(today, 14) }, 'member').expect(200), 'intake-planned');
      const accepted = await post(`/clients/${pseudonym}/accept`, { date: today }, 'incoming').expect(200);
      at(accepted, 'accepted');
      expect(accepted.body).toMatchObject({ consentDate: addDays(today, -1), intakeDate: addDays(today, 14), acceptedDate: today, finishedAt: expect.any(String) });

      const events = await typesOf(pseudonym);
      expect(events.map((event) => event.type)).toEqual([
        'ClientListed', 'ClientInformed', 'ConsentGiven', 'ClientFileTransferred',
        'ClientFileDownloaded', 'ClientFileDownloaded', 'IntakePlanned', 'TransferAccepted', 'TransferFinished',
      ]);
      expect(events.filter((event) => event.type === 'ClientFileDownloaded').map((event) => event.data.organisation)).toEqual([
        'twentse-wijkalliantie', 'stadsdeelwerk',
      ]);
      expect(JSON.stringify(events)).not.toContain(MARKER);

      const detail = await get(`/clients/${pseudonym}`, 'outgoing').expect(200);
      expect(detail.body).toMatchObject({
        step: 'accepted',
        finished: true,
        next: null,
        file: { mediaType: 'application/zip', bytes: ZIP.length },
        dates: { informedOn: addDays(today, -3), informChannel: 'in-person', consentOn: addDays(today, -1), intakeOn: addDays(today, 14), acceptedOn: today },
      });
      await post(`/clients/${pseudonym}/end`, { reason: 'moved-away' }, 'outgoing').expect(409);
    });

    it('counts per step and target group, and shows the handover its clients in brief', async () => {
      const counts = (await get(`/transitions/${handover}/clients/counts`, 'coordinator').expect(200)).body;
      const rows: Array<{ step: string; n: number }> = await api.db.app.query(
        'SELECT step, count(*)::int AS n FROM client_transfers WHERE transition_id = $1 GROUP BY step', [handover],
      );
      for (const { step, n } of rows) expect(counts.byStep[step]).toBe(n);
      expect(counts.total).toBe(CLIENTS);
      const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
      expect(sum(counts.byTargetGroup)).toBe(CLIENTS);
      expect(Object.values(counts.byStepAndTargetGroup).map((groups) => sum(groups as Record<string, number>)).reduce((a, b) => a + b, 0)).toBe(CLIENTS);
      expect(counts.finished).toBe(counts.byStep.accepted + counts.byStep.declined + counts.byStep.ended);
      expect(counts.shareDone).toBeCloseTo(counts.finished / CLIENTS);

      const detail = (await get(`/transitions/${handover}`, 'coordinator').expect(200)).body;
      expect(detail.clients).toMatchObject({ total: CLIENTS, finished: counts.finished, shareDone: counts.shareDone, byStep: counts.byStep });
      const list = (await get('/transitions', 'coordinator').expect(200)).body.items;
      expect(list.find((item: { transitionId: string }) => item.transitionId === handover).clients).toEqual({
        total: CLIENTS, finished: counts.finished, shareDone: counts.shareDone, byStep: counts.byStep,
      });
      const otherList = (await get('/transitions', 'otherCoordinator').expect(200)).body.items;
      expect(otherList.find((item: { transitionId: string }) => item.transitionId === rotterdam).clients).toMatchObject({ total: 1, finished: 0 });
    });
  });

  describe('hostile input: a clear 4xx naming the field and rule, never the value, nothing written', () => {
    let pseudonym: string;
    beforeAll(async () => {
      [pseudonym] = take();
      await walkTo(pseudonym, 'consent-given');
    });

    it.each([
      ['NUL in the channel', 'informed', { date: today, channel: 'let\u0000ter' }, 'channel must not contain control characters'],
      ['an unknown channel', 'informed', { date: today, channel: 'carrier-pigeon' }, 'channel must be one of'],
      ['a year-9999 date', 'informed', { date: '9999-12-31', channel: 'letter' }, 'date must be a day from'],
      ['a date that is no real date', 'consent', { given: true, date: '2026-02-30' }, 'date must be a real calendar date'],
      ['a date in another format', 'consent', { given: true, date: '30-11-2026' }, 'date must be a date as YYYY-MM-DD'],
      ['a string for a boolean', 'consent', { given: 'yes', date: today }, 'given must be true or false'],
      ['an intake two years ahead', 'intake', { date: addYears(today, 2) }, 'date must be a day from'],
      ['an unknown end reason', 'end', { reason: 'bored' }, 'reason must be one of moved-away, support-no-longer-needed, deceased'],
      ['a 10,000-character erasure reason', 'erase', { reason: 'Jan Jansen '.repeat(1000) }, 'reason must be shorter than or equal to 500 characters'],
      ['a too short erasure reason', 'erase', { reason: 'asked' }, 'reason must say why (10 characters or more)'],
      ['an unknown field', 'informed', { date: today, channel: 'letter', name: 'Jan Jansen' }, 'unknown property (only these are allowed: date, channel)'],
      ['a __proto__ key', 'end', JSON.parse('{"reason":"moved-away","__proto__":{"admin":true}}'), 'must not have a property named __proto__'],
    ])('refuses %s', async (_case, command, body, message) => {
      const before = await eventsOf(pseudonym);
      const response = await post(`/clients/${pseudonym}/${command}`, body, 'outgoing').expect(400);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect(JSON.stringify(response.body)).not.toMatch(/Jan Jansen|carrier-pigeon|9999|let.u0000ter|bored|admin/);
      expect(await eventsOf(pseudonym)).toBe(before);
    });

    it.each([
      ['uppercase', 'ABCDEF0123456789ABCD'],
      ['too long', 'a'.repeat(10_000)],
      ['a name', 'Jan%20Jansen'],
    ])('refuses a pseudonym that is %s with 400', async (_case, bad) => {
      const response = await post(`/clients/${bad}/end`, { reason: 'moved-away' }, 'outgoing').expect(400);
      expect(response.body.message).toEqual(['pseudonym must be a client pseudonym: 20 lowercase hex characters']);
      await get(`/clients/${bad}`, 'outgoing').expect(400);
    });

    it('refuses a JSON command sent as something else with 415', async () => {
      const response = await request(server()).post(`/clients/${pseudonym}/end`).set(as('outgoing')).set('content-type', 'text/plain').send('reason=moved-away');
      expect(response.status).toBe(415);
    });

    it.each([
      ['text/plain', Buffer.from('%PDF-1.7 plain'), 415, 'Content-Type must be application/pdf or application/zip'],
      ['application/json', Buffer.from('{"file":"x"}'), 415, 'Content-Type must be application/pdf or application/zip'],
      ['application/pdf', ZIP, 415, 'a file sent as application/pdf must be a PDF: its first bytes must be %PDF-'],
      ['application/zip', PDF, 415, 'a file sent as application/zip must be a ZIP archive'],
      ['application/pdf', Buffer.from('%PD'), 415, 'a file sent as application/pdf must be a PDF'],
      ['application/pdf', Buffer.alloc(0), 400, 'not empty'],
    ])('refuses a file sent as %s that is not one with %i, storing nothing', async (type, bytes, status, message) => {
      const [before, stored] = [await eventsOf(pseudonym), await files()];
      const response = await upload(pseudonym, bytes, type).expect(status);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect([await eventsOf(pseudonym), await files()]).toEqual([before, stored]);
    });

    it('refuses a file route sent neither a body nor a type with 415, after authentication', async () => {
      await request(server()).post(`/clients/${pseudonym}/file`).expect(401);
      const response = await request(server()).post(`/clients/${pseudonym}/file`).set(as('outgoing')).expect(415);
      expect(response.body.message).toBe('Content-Type must be application/pdf or application/zip');
    });

    it('refuses a file over 25 MB with 413, storing nothing', async () => {
      const stored = await files();
      const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(25 * 1024 * 1024)]);
      const response = await upload(pseudonym, big, 'application/pdf').expect(413);
      expect(response.body.message).toBe(`body must be at most ${25 * 1024 * 1024} bytes`);
      expect(await files()).toBe(stored);
    });

    it('deletes a stored file again when the workflow refuses it', async () => {
      const [early] = take();
      await walkTo(early, 'informed');
      const stored = await files();
      const refused = await upload(early, PDF, 'application/pdf').expect(409);
      expect(refused.body.message).toBe('the file moves only once the client has consented');
      expect(await files()).toBe(stored);
    });
  });

  describe('in bulk', () => {
    it('informs 50 clients each on its own: 48 done, a foreign and an unknown one 404', async () => {
      const mine = take(48);
      const unknown = randomBytes(10).toString('hex');
      const sent = [...mine.slice(0, 20), foreign, ...mine.slice(20), unknown];
      const foreignBefore = await eventsOf(foreign, rotterdam);
      const response = await post(`/transitions/${handover}/clients/bulk/informed`, { pseudonyms: sent, date: today, channel: 'letter' }, 'outgoing').expect(200);
      expect(response.body.counts).toEqual({ done: 48, refused: 2 });
      expect(response.body.results.map((result: { pseudonym: string }) => result.pseudonym)).toEqual(sent);
      for (const result of response.body.results) {
        if (result.pseudonym === foreign || result.pseudonym === unknown) {
          expect(result).toEqual({ pseudonym: result.pseudonym, status: 404, message: 'the client is not in this handover' });
        } else expect(result).toEqual({ pseudonym: result.pseudonym, status: 200 });
      }
      expect(await eventsOf(foreign, rotterdam)).toBe(foreignBefore);
      const informed: Array<{ step: string }> = await api.db.app.query('SELECT step FROM client_transfers WHERE pseudonym = ANY ($1)', [mine]);
      expect(informed.every((row) => row.step === 'informed')).toBe(true);

      const again = await post(`/transitions/${handover}/clients/bulk/informed`, { pseudonyms: mine.slice(0, 3), date: today, channel: 'letter' }, 'outgoing').expect(200);
      expect(again.body.results.map((result: { status: number }) => result.status)).toEqual([409, 409, 409]);
      const wrongSide = await post(`/transitions/${handover}/clients/bulk/consent`, { pseudonyms: mine.slice(0, 2), given: true, date: today }, 'incoming').expect(200);
      expect(wrongSide.body).toEqual({
        results: mine.slice(0, 2).map((pseudonym) => ({ pseudonym, status: 403, message: "this step is the outgoing provider's" })),
        counts: { done: 0, refused: 2 },
      });
      const bystander = await post(`/transitions/${handover}/clients/bulk/end`, { pseudonyms: mine.slice(0, 2), reason: 'moved-away' }, 'bystander').expect(200);
      expect(bystander.body.results.map((result: { status: number }) => result.status)).toEqual([403, 403]);
      const consent = await post(`/transitions/${handover}/clients/bulk/consent`, { pseudonyms: mine.slice(0, 5), given: true, date: today }, 'outgoing').expect(200);
      expect(consent.body.counts).toEqual({ done: 5, refused: 0 });
    });

    it.each([
      ['no pseudonyms', { pseudonyms: [] }, 'pseudonyms must name at least one client'],
      ['1001 pseudonyms', { pseudonyms: Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(20, '0')) }, 'pseudonyms must name at most 1000 clients'],
      ['a pseudonym twice', { pseudonyms: ['a'.repeat(20), 'a'.repeat(20)] }, 'pseudonyms must name each client once'],
      ['a name for a pseudonym', { pseudonyms: ['Jan Jansen'] }, 'each of pseudonyms must be a client pseudonym'],
      ['a bad date', { pseudonyms: ['a'.repeat(20)], date: '9999-01-01' }, 'date must be a day from'],
    ])('refuses %s with 400, sending nothing', async (_case, body, message) => {
      const response = await post(`/transitions/${handover}/clients/bulk/informed`, { date: today, channel: 'letter', ...body }, 'outgoing').expect(400);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect(JSON.stringify(response.body)).not.toContain('Jan Jansen');
    });

    it('is for providers only', async () => {
      await post(`/transitions/${handover}/clients/bulk/end`, { pseudonyms: [pseudonyms[0]], reason: 'moved-away' }, 'coordinator').expect(403);
    });
  });

  describe('erasure', () => {
    let erased: string;
    let fileId: string;

    beforeAll(async () => {
      [erased] = take();
      await walkTo(erased, 'file-transferred');
      [{ file_id: fileId }] = await api.db.app.query('SELECT file_id FROM client_transfers WHERE pseudonym = $1', [erased]);
    });

    it('is the outgoing provider\'s, with a reason that stays out of the audit trail', async () => {
      await post(`/clients/${erased}/erase`, { reason: 'At the request of the client, by letter' }, 'incoming').expect(403);
      expect((await api.db.admin.query('SELECT count(*)::int AS n FROM client_keys WHERE pseudonym = $1', [erased]))[0].n).toBe(1);
      const done = await post(`/clients/${erased}/erase`, { reason: 'Request of Jan Jansen by letter, our ref 114' }, 'outgoing').expect(200);
      expect(done.body).toMatchObject({ pseudonym: erased, erased: true, step: 'file-transferred' });
      const events = await typesOf(erased);
      expect(events[events.length - 1]).toEqual({ type: 'PersonalDataErased', data: { pseudonym: erased, reason: 'request' } });
      expect(JSON.stringify(events)).not.toContain('Jansen');
    });

    it('destroys the key, the record and the file with the event', async () => {
      for (const table of ['client_keys', 'client_records', 'client_files']) {
        const [row] = await api.db.admin.query(`SELECT count(*)::int AS n FROM ${table} WHERE pseudonym = $1`, [erased]);
        expect([table, row.n]).toEqual([table, 0]);
      }
      expect((await api.db.admin.query('SELECT count(*)::int AS n FROM client_files WHERE file_id = $1', [fileId]))[0].n).toBe(0);
      expect((await api.db.app.query('SELECT erased FROM client_transfers WHERE pseudonym = $1', [erased]))[0].erased).toBe(true);
    });

    it('shows "erased" where the personal data was, 410 for the file, 409 for a second erasure', async () => {
      const detail = await get(`/clients/${erased}`, 'outgoing').expect(200);
      expect(detail.body).toMatchObject({ erased: true, personalData: 'erased' });
      expect(detail.text).not.toContain(MARKER);
      expect((await get(`/clients/${erased}`, 'incoming').expect(200)).body.personalData).toBe('erased');
      const before = await eventsOf(erased);
      for (const who of ['outgoing', 'incoming']) {
        const gone = await download(erased, who).expect(410);
        expect(JSON.parse((gone.body as Buffer).toString()).message).toBe("the client's personal data and file are erased");
      }
      const again = await post(`/clients/${erased}/erase`, { reason: 'At the request of the client, again' }, 'outgoing').expect(409);
      expect(again.body.message).toBe("the client's personal data is erased");
      await upload(erased, PDF, 'application/pdf').expect(409);
      expect(await eventsOf(erased)).toBe(before);
    });

    it('leaves the audit trail intact, and logs the erasure outside the database', async () => {
      const verified = await get(`/audit/verify?streamId=${handover}`, 'auditor').expect(200);
      expect(verified.body).toMatchObject({ intact: true, firstBroken: null });
      const transfer = await new AuditVerifier(api.db.app).verify(transferIdOf(handover, erased));
      expect(transfer).toMatchObject({ intact: true, streams: 1 });
      await eventually(async () => expect(await readFile(api.erasureLog, 'utf8')).toContain(erased));
    });

    it('shreds again, harmlessly, when the read model is rebuilt; the other clients keep their keys', async () => {
      const snapshot = () => api.db.app.query('SELECT pseudonym, step, erased, file_id, consent_on FROM client_transfers ORDER BY pseudonym');
      const before = await snapshot();
      const keys = (await api.db.admin.query('SELECT count(*)::int AS n FROM client_keys'))[0].n;
      const projector = api.app.get(Projector);
      const projection = projector.projections().find((candidate) => candidate.name === 'client_transfers')!;
      await projector.rebuild(projection);
      expect(await snapshot()).toEqual(before);
      expect((await api.db.admin.query('SELECT count(*)::int AS n FROM client_keys'))[0].n).toBe(keys);
      expect((await get(`/clients/${pseudonyms[0]}`, 'outgoing').expect(200)).body.personalData.firstName).toContain(MARKER);
    });
  });
});
