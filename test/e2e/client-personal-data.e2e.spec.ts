import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transferIdOf } from '../../src/clients/client.events';
import { amsterdamToday } from '../../src/time/amsterdam';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { clientImportWorkflowId } from '../../workflows/client-import/workflow';
import { ClientCsvCells, clientCsv } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { decryptedPayloads, readableText, Traces } from '../support/personal-data-traces';
import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { Answer, ServiceStack, StackUser } from '../support/service-stack';

/**
 * Clients' personal data reaches the vault (encrypted with each client's own key) and the
 * providers who may read it, and nothing else: no log line, no error answer, no coordinator's
 * read, no Temporal history (as the Temporal CLI shows it, and decrypted with the payload key
 * as well), no search attribute, no event, no plain-text column, no e-mail, not the erasure log.
 *
 * A marker goes into every personal field of a client list, in a form the field's rule accepts:
 * a random hex string in names, street, house number, city, e-mail, note and client number; a
 * distinctive date of birth (searched for in three spellings), postcode and phone number. The
 * service runs as `npm start` runs it (src/main.ts with its worker, a process of its own, logging
 * at trace) on a real Temporal dev server and PostgreSQL. The scenario: lists that are refused
 * (their reports must not repeat a cell), a good list (and the same list again), one client taken
 * through informed → consent → file (a PDF holding the marker) → download → intake → accept,
 * one erased (the reason given holds the marker too), one informed in bulk, and reads by every
 * role.
 */
describe('personal data of clients stays in the vault (the service as a process, the Temporal CLI as an operator)', () => {
  const secret = randomBytes(6).toString('hex');
  const today = amsterdamToday();
  const goLiveDate = goLiveInDays(160);
  const transitionId = `rotterdam.hillegersberg-schiebroek.${goLiveDate}`;
  const traces = new Traces({
    'the marker (names, street, house number, city, e-mail, note, client number, file, erasure reason)': secret,
    'date of birth dd-mm-yyyy': '13-04-1937',
    'date of birth yyyy-mm-dd': '1937-04-13',
    'date of birth d-m-yyyy': '13-4-1937',
    'postcode': '9999 ZZ',
    'postcode without space': '9999ZZ',
    'phone as typed': '06-97531864',
    'phone digits': '0697531864',
    'BSN in the note': '123456782',
  });
  const FIRST_NAMES = { accepted: `Jan${secret}`, erased: `Piet${secret}`, waiting: `Klaas${secret}` } as const;
  type Client = keyof typeof FIRST_NAMES;
  const BIRTH_DATES = ['13-04-1937', '1937-04-13', '13-4-1937'];

  /** One client whose every personal field carries the marker. */
  const personalRow = (client: Client, n: number): ClientCsvCells => ({
    clientnummer: `C-${secret}-${n}`,
    voornaam: FIRST_NAMES[client],
    achternaam: `Jansen-${secret}`,
    geboortedatum: BIRTH_DATES[n % BIRTH_DATES.length],
    straat: `Dorpsstraat${secret}`,
    huisnummer: `12-h${secret}`,
    postcode: '9999 ZZ',
    woonplaats: `Rotterdam-${secret}`,
    telefoon: '06-97531864',
    'e-mail': `mail.${secret}@example.org`,
    doelgroep: 'ouderen',
    toelichting: `Zorgt voor haar moeder, BSN 123456782, notitie ${secret}`,
  });
  const goodList = clientCsv([personalRow('accepted', 1), personalRow('erased', 2), personalRow('waiting', 3)]);
  const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (Dossier ${FIRST_NAMES.accepted}, geboren 13-04-1937) >> endobj\n% BSN 123456782\n%%EOF\n`, 'latin1');

  let stack: ServiceStack;
  let service: ServiceProcess | undefined;
  let output = '';
  let importId = '';
  const pseudonyms = {} as Record<Client, string>;
  /** Every answer the scenario got; `mustNotShow`: an answer that may hold no personal data at all. */
  const answers: Array<{ request: string; who: StackUser | null; response: Answer; mustNotShow: boolean }> = [];
  /** What the scenario read that must hold the marker (the test sees what it claims to). */
  const seen: Record<string, Answer> = {};

  beforeAll(async () => {
    stack = await ServiceStack.start('client-personal-data');
    service = await stack.startApi('service', { LOG_LEVEL: 'trace' });
    await runScenario();
    // Stopped as an operator stops it; its whole output is in its log file.
    await service.stop(30_000);
    output = service.fullOutput();
  }, 600_000);

  afterAll(async () => {
    const left = (await stack?.stop()) ?? [];
    expect(left).toEqual([]);
  }, 120_000);

  async function send(
    who: StackUser | null,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Buffer; mustNotShow?: boolean } = {},
  ): Promise<Answer> {
    const response = await stack.request(who, method, path, init);
    answers.push({ request: `${who ?? 'anonymous'} ${method} ${path}`, who, response, mustNotShow: init.mustNotShow ?? who === 'coordinator' });
    return response;
  }
  const json = (who: StackUser, path: string, body: unknown, mustNotShow?: boolean) =>
    send(who, 'POST', path, { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), mustNotShow });
  const csv = (file: Buffer, contentType = 'text/csv') =>
    send('outgoing', 'POST', `/transitions/${transitionId}/clients/import`, { headers: { 'content-type': contentType }, body: file });
  async function expectStatus(status: number, answer: Promise<Answer>): Promise<Answer> {
    const { status: got, text, error } = await answer;
    expect({ status: got, text: text.slice(0, 500), error }).toMatchObject({ status });
    return answer;
  }

  async function runScenario() {
    await expectStatus(
      201,
      json('coordinator', '/transitions', { municipality: 'rotterdam', district: 'hillegersberg-schiebroek', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate }),
    );

    // Lists that are refused whole: the report names line, column and rule, never a cell.
    const refused = await expectStatus(
      400,
      csv(clientCsv([personalRow('accepted', 1), { ...personalRow('erased', 2), postcode: `PC-${secret}` }])),
    );
    expect(refused.body?.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 3, column: 'postcode' })]));
    await expectStatus(
      400,
      csv(
        clientCsv([
          { ...personalRow('accepted', 4), geboortedatum: `13-04-1937 ${secret}` },
          { ...personalRow('accepted', 5), 'e-mail': `mail ${secret}@example.org` },
          { ...personalRow('accepted', 6), telefoon: `06-${secret}` },
          { ...personalRow('accepted', 7), huisnummer: `h${secret}` },
          { ...personalRow('accepted', 8), clientnummer: `C ${secret}` },
          { ...personalRow('accepted', 9), voornaam: `Jan\u0007${secret}` },
          { ...personalRow('accepted', 10), toelichting: `${secret} `.repeat(80) },
          { ...personalRow('accepted', 11), geboortedatum: '31-02-1937' },
          { ...personalRow('accepted', 12), doelgroep: `groep-${secret}` },
          { ...personalRow('accepted', 13), achternaam: `Jansen "${secret}" x` },
        ]),
      ),
    );
    await expectStatus(400, csv(clientCsv([personalRow('accepted', 14), personalRow('erased', 15)], { header: false })));
    await csv(Buffer.concat([clientCsv([personalRow('accepted', 16)]), Buffer.from(`C-${secret}-17;"Jan${secret};Jansen\r\n`)]));
    await csv(clientCsv([personalRow('accepted', 18)]), 'text/plain');
    await csv(Buffer.from(`${secret};13-04-1937;Dorpsstraat${secret}\r\n`));

    // The good list, and the same list again.
    const accepted = await expectStatus(202, csv(goodList));
    importId = accepted.body.importId;
    expect((await expectStatus(202, csv(goodList))).body.importId).toBe(importId);
    await eventually(async () => {
      const progress = await send('outgoing', 'GET', `/transitions/${transitionId}/clients/imports/${importId}`);
      expect(progress.body).toMatchObject({ state: 'finished', listed: 3 });
    }, 180_000);

    const list = await expectStatus(200, send('outgoing', 'GET', `/transitions/${transitionId}/clients`));
    seen['the handover’s clients, as the outgoing provider'] = list;
    for (const item of list.body.items as Array<{ pseudonym: string; personalData: { firstName: string } }>) {
      const client = (Object.keys(FIRST_NAMES) as Client[]).find((c) => FIRST_NAMES[c] === item.personalData.firstName);
      if (client) pseudonyms[client] = item.pseudonym;
    }
    expect(Object.keys(pseudonyms).sort()).toEqual(['accepted', 'erased', 'waiting']);
    const { accepted: a, erased: e, waiting: w } = pseudonyms;

    // Commands that are refused, with the marker in their bodies.
    await json('outgoing', `/clients/${a}/informed`, { date: today, channel: `letter ${secret}` });
    await json('outgoing', `/clients/${a}/informed`, { date: `13-04-1937 ${secret}`, channel: 'letter' });
    await json('outgoing', `/clients/${a}/informed`, { date: today, channel: 'letter', [`note-${secret}`]: FIRST_NAMES.accepted });
    await json('outgoing', `/clients/${e}/erase`, { reason: `kort${secret}\u0000` });
    await json('incoming', `/clients/${a}/informed`, { date: today, channel: 'letter', note: secret });
    await send('outgoing', 'POST', `/clients/${a}/file`, { headers: { 'content-type': 'application/pdf' }, body: pdf });
    await send('outgoing', 'POST', `/clients/${a}/file`, { headers: { 'content-type': 'application/zip' }, body: pdf });
    await send('outgoing', 'GET', `/clients/${a}/file`);
    await send('outgoing', 'GET', `/clients/c-${secret}`);
    await send('outgoing', 'GET', `/clients/${secret}${secret}`.slice(0, 29));

    // One client all the way: informed, consent, file, download, intake, accept.
    await expectStatus(200, json('outgoing', `/clients/${a}/informed`, { date: today, channel: 'letter' }));
    await expectStatus(200, json('outgoing', `/clients/${a}/consent`, { given: true, date: today }));
    await expectStatus(200, send('outgoing', 'POST', `/clients/${a}/file`, { headers: { 'content-type': 'application/pdf' }, body: pdf }));
    seen['the file, downloaded by the incoming provider'] = await expectStatus(200, send('incoming', 'GET', `/clients/${a}/file`));
    await expectStatus(200, json('incoming', `/clients/${a}/intake`, { date: today }));
    await expectStatus(200, json('incoming', `/clients/${a}/accept`, { date: today }));

    // One erased at the client's request (the reason given is stored nowhere), one informed in bulk.
    await expectStatus(200, json('outgoing', `/clients/${e}/erase`, { reason: `Verzoek per brief van ${FIRST_NAMES.erased} Jansen-${secret}` }));
    await expectStatus(200, json('outgoing', `/transitions/${transitionId}/clients/bulk/informed`, { pseudonyms: [w], date: today, channel: 'phone' }));
    await json('outgoing', `/transitions/${transitionId}/clients/bulk/consent`, { pseudonyms: [w, a], given: true, date: `${secret}` });

    // Reads by every role.
    seen['the accepted client, as the outgoing provider'] = await expectStatus(200, send('outgoing', 'GET', `/clients/${a}`));
    seen['the accepted client, as the incoming provider (consent given)'] = await expectStatus(200, send('incoming', 'GET', `/clients/${a}`));
    for (const client of [a, e, w]) await expectStatus(200, send('coordinator', 'GET', `/clients/${client}`));
    await expectStatus(200, send('coordinator', 'GET', `/transitions/${transitionId}/clients`));
    await send('coordinator', 'GET', `/transitions/${transitionId}/clients/counts`);
    await send('auditor', 'GET', `/clients/${a}`, { mustNotShow: true });
    await send('auditor', 'GET', `/transitions/${transitionId}/clients/counts`, { mustNotShow: true });
    await send('coordinator', 'GET', `/clients/${a}/file`);
    await send('coordinator', 'GET', `/transitions/${transitionId}/audit`);
    await send('coordinator', 'GET', `/transitions/${transitionId}/audit?format=csv`);
    await send('auditor', 'GET', `/transitions/${transitionId}/audit`, { mustNotShow: true });
    await expectStatus(200, send('incoming', 'GET', `/clients/${w}`, { mustNotShow: true }));
    await send('incoming', 'GET', `/clients/${e}`, { mustNotShow: true });
    await expectStatus(200, send('outgoing', 'GET', `/clients/${e}`, { mustNotShow: true }));
    await send('outgoing', 'GET', `/clients/${e}/file`, { mustNotShow: true });
    const incomingList = await expectStatus(200, send('incoming', 'GET', '/me/clients'));
    expect({ incomingSeesWaiting: incomingList.text.includes(FIRST_NAMES.waiting), incomingSeesErased: incomingList.text.includes(FIRST_NAMES.erased) }).toEqual({
      incomingSeesWaiting: false,
      incomingSeesErased: false,
    });
    await expectStatus(200, send('coordinator', 'GET', `/transitions/${transitionId}`));
    await expectStatus(200, send('coordinator', 'GET', '/audit/verify'));
    // The erasure is logged outside the database as well (pseudonym, code, time).
    await eventually(async () => expect(readFileSync(stack.erasureLog, 'utf8')).toContain(e), 60_000);
  }

  /** Every workflow of the handover as the Temporal CLI lists it: the handover's, the import's, the transfers'. */
  async function workflowIds(): Promise<string[]> {
    return [...new Set((await stack.cli.list()).map((run) => run.execution.workflowId))].sort();
  }

  it('really put the marker in: the vault holds it for the providers who may read it (the test sees what it claims to)', () => {
    for (const [what, answer] of Object.entries(seen)) expect({ what, holdsTheMarker: answer.bytes.includes(secret) }).toEqual({ what, holdsTheMarker: true });
    const personal = seen['the accepted client, as the outgoing provider'].body.personalData;
    expect(personal).toMatchObject({ firstName: FIRST_NAMES.accepted, birthDate: '1937-04-13', postcode: '9999 ZZ', phone: '06-97531864' });
    expect(seen['the file, downloaded by the incoming provider'].bytes.equals(pdf)).toBe(true);
    expect(output).toMatch(/"level":10/); // trace lines were written
    expect(output).toContain('"route":"/clients/:pseudonym/file"');
    expect(answers.filter((a) => a.response.status >= 400).length).toBeGreaterThan(15);
  });

  it('writes it to no log line', () => {
    const leaking = output
      .split('\n')
      .map((line) => ({ line: line.slice(0, 400), found: traces.foundIn(line) }))
      .filter(({ found }) => found.length > 0);
    expect(leaking).toEqual([]);
  });

  it('repeats it in no error answer, and shows it to no coordinator or auditor, nor to a provider who may not see it', () => {
    const leaking = answers
      .filter(({ response, mustNotShow }) => response.status >= 400 || response.status === 0 || mustNotShow)
      .map(({ request, response }) => ({ request, status: response.status, found: traces.foundIn(response.bytes), text: response.text.slice(0, 300) }))
      .filter(({ found }) => found.length > 0);
    expect(leaking).toEqual([]);
  });

  it('keeps it out of every workflow history as `temporal workflow show` prints it, and out of the decrypted payloads', async () => {
    const ids = await workflowIds();
    const expected = [transitionId, clientImportWorkflowId(transitionId, importId), ...Object.values(pseudonyms).map((p) => transferIdOf(transitionId, p))];
    expect(ids).toEqual(expect.arrayContaining(expected));
    const codec = new EncryptionCodec(Buffer.from(stack.payloadKey, 'base64'));
    const leaking: Array<{ workflowId: string; runId: string; where: string; found: string[] }> = [];
    for (const workflowId of ids) {
      for (const { runId, history } of await stack.cli.histories(workflowId)) {
        const printed = JSON.stringify(history);
        expect({ workflowId, encrypted: printed.includes(Buffer.from('binary/encrypted').toString('base64')) }).toEqual({ workflowId, encrypted: true });
        const found = traces.foundIn(readableText(history));
        if (found.length > 0) leaking.push({ workflowId, runId, where: 'history as printed', found });
        const decrypted = await decryptedPayloads(history, codec);
        const foundDecrypted = traces.foundIn(decrypted.join('\n'));
        if (foundDecrypted.length > 0) leaking.push({ workflowId, runId, where: 'payloads decrypted with the payload key', found: foundDecrypted });
        // The decryption works: a transfer's input names its pseudonym, the import's its id.
        if (workflowId.startsWith('transfer.')) expect(decrypted.join('\n')).toContain(workflowId.split('.').pop());
        if (workflowId.startsWith('clients-import.')) expect(decrypted.join('\n')).toContain(importId);
      }
    }
    expect(leaking).toEqual([]);
  }, 300_000);

  it('keeps it out of every search attribute and memo (`temporal workflow list` and `describe`)', async () => {
    const listed = await stack.cli.list();
    expect(readableText(listed)).toContain('TransferStep');
    expect(traces.foundIn(readableText(listed))).toEqual([]);
    for (const workflowId of await workflowIds()) {
      const described = await stack.cli.describe(workflowId);
      expect({ workflowId, found: traces.foundIn(readableText(described)) }).toEqual({ workflowId, found: [] });
    }
  }, 300_000);

  it('keeps it out of the events (the audit trail): data and metadata', async () => {
    const rows: Array<{ stream_id: string; type: string; data: string; metadata: string }> = await stack.db.admin.query(
      'SELECT stream_id, type, data::text AS data, metadata::text AS metadata FROM events ORDER BY global_position',
    );
    expect(rows.map((row) => row.type)).toEqual(expect.arrayContaining(['ClientListed', 'ClientFileTransferred', 'ClientFileDownloaded', 'TransferAccepted', 'PersonalDataErased']));
    const leaking = rows.filter((row) => traces.foundIn(`${row.data}\n${row.metadata}`).length > 0).map((row) => ({ ...row, found: traces.foundIn(`${row.data}\n${row.metadata}`) }));
    expect(leaking).toEqual([]);
  });

  it('keeps it out of every column of every client table: the vault holds ciphertext only', async () => {
    const tables: Array<{ table_name: string }> = await stack.db.admin.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'client%' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['client_files', 'client_import_items', 'client_imports', 'client_keys', 'client_numbers', 'client_records', 'client_transfers']));
    const leaking: Array<{ table: string; column: string; found: string[] }> = [];
    let values = 0;
    for (const { table_name: table } of tables) {
      const rows: Array<Record<string, unknown>> = await stack.db.admin.query(`SELECT * FROM ${table}`);
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null || value === undefined) continue;
          values += 1;
          const text = Buffer.isBuffer(value) ? value : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
          const found = traces.foundIn(text);
          if (found.length > 0) leaking.push({ table, column, found });
        }
      }
    }
    expect(values).toBeGreaterThan(30);
    const [{ files }] = await stack.db.admin.query('SELECT count(*)::int AS files FROM client_files');
    expect(files).toBe(1);
    expect(leaking).toEqual([]);
  });

  it('keeps it out of the e-mails sent and the erasure log', () => {
    const mails = stack.sink.received.map((mail) => ({ mail: JSON.stringify(mail).slice(0, 200), found: traces.foundIn(JSON.stringify(mail)) })).filter(({ found }) => found.length > 0);
    expect(mails).toEqual([]);
    const erasureLog = readFileSync(stack.erasureLog, 'utf8');
    expect(erasureLog).toContain(pseudonyms.erased);
    expect(traces.foundIn(erasureLog)).toEqual([]);
  });
});
