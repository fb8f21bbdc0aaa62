import { setTimeout as delay } from 'node:timers/promises';
import {
  CampaignEmailSendError,
  CAMPAIGN_EMAIL_SENDER_LOCK,
  CampaignEmailSender,
  CampaignEmailSenderBusyError,
  campaignMessageId,
  emailBackoffMs,
  EmailPageResult,
} from '../../src/campaigns/sending';
import { CampaignSmtpServer, seedEmailLedger, TestComposer } from '../support/campaign-smtp';
import { createTestDatabase, TestDatabase } from '../support/database';

const FROM = 'Gemeente Rotterdam <wijkinfo@rotterdam.example>';
const DOMAIN = 'rotterdam.example';
/** The outage: the relay answers 421 for 30 s. */
const OUTAGE_MS = 30_000;

interface LedgerRow {
  recipient_id: string;
  channel: string;
  kind: string;
  seq: number;
  state: string;
  attempts: number;
  message_id: string | null;
  failure_code: string | null;
  fallback: boolean;
}

describe('CampaignEmailSender (real SMTP server on loopback, real Postgres)', () => {
  let db: TestDatabase;
  const servers: CampaignSmtpServer[] = [];
  const senders: CampaignEmailSender[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    senders.forEach((sender) => sender.close());
    await Promise.all(servers.map((server) => server.stop()));
    await db?.drop();
  });

  async function smtpServer(options: Parameters<typeof CampaignSmtpServer.start>[0] = {}) {
    const server = await CampaignSmtpServer.start(options);
    servers.push(server);
    return server;
  }

  function sender(server: CampaignSmtpServer, composer: TestComposer, overrides: Partial<ConstructorParameters<typeof CampaignEmailSender>[0]> = {}) {
    const built = new CampaignEmailSender({
      dataSource: db.app,
      smtpUrl: server.url,
      from: FROM,
      maxConnections: 5,
      ratePerSecond: 0,
      composer,
      ...overrides,
    });
    senders.push(built);
    return built;
  }

  const ledger = (campaignId: string): Promise<LedgerRow[]> =>
    db.admin.query(
      `SELECT recipient_id, channel, kind, seq, state, attempts, message_id, failure_code, fallback
         FROM campaign_recipients WHERE campaign_id = $1 ORDER BY channel, seq`,
      [campaignId],
    );

  /** The campaign workflow's loop, in short: a page, and a back-off while everything is deferred. */
  async function sendAll(campaignSender: CampaignEmailSender, campaignId: string, limit: number) {
    const pages: EmailPageResult[] = [];
    const waits: number[] = [];
    let consecutiveDeferred = 0;
    for (;;) {
      const page = await campaignSender.sendPage({ campaignId, limit });
      pages.push(page);
      if (page.remaining === 0) return { pages, waits };
      const progressed = page.sent + page.bounced + page.skipped > 0;
      consecutiveDeferred = progressed ? 0 : consecutiveDeferred + 1;
      const wait = emailBackoffMs(consecutiveDeferred);
      waits.push(wait);
      await delay(wait);
    }
  }

  it('sends 500 e-mails, each once, with its fixed Message-ID, and records them sent', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 500 });
    const composer = new TestComposer(subscribers);
    const campaignSender = sender(server, composer, { ratePerSecond: 1_000 });
    const progress: number[] = [];

    let total = { sent: 0, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0 };
    for (;;) {
      const page = await campaignSender.sendPage({ campaignId, limit: 200 }, ({ seq }) => progress.push(seq));
      total = { sent: total.sent + page.sent, bounced: total.bounced + page.bounced, deferred: total.deferred + page.deferred, skipped: total.skipped + page.skipped, fallbackLetters: total.fallbackLetters + page.fallbackLetters };
      if (page.remaining === 0) break;
    }

    expect(total).toEqual({ sent: 500, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0 });
    expect(composer.calls).toBe(3);
    const rows = await ledger(campaignId);
    expect(rows).toHaveLength(500);
    for (const row of rows) {
      expect(row).toMatchObject({ channel: 'email', state: 'sent', attempts: 1, failure_code: null, message_id: campaignMessageId(campaignId, row.seq, DOMAIN) });
    }
    const counts = server.countsByMessageId();
    expect(counts.size).toBe(500);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(rows.map((row) => row.message_id)));
    // each message went to its own recipient
    const byMessageId = new Map(server.received.map((mail) => [mail.messageId, mail.to]));
    for (const subscriber of subscribers) expect(byMessageId.get(campaignMessageId(campaignId, subscriber.seq, DOMAIN))).toEqual([subscriber.address]);
    // heartbeats report the seq reached, up to the last one
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...progress)).toBe(500);
  });

  it(`rides out a relay that answers 421 for ${OUTAGE_MS / 1000} s, then bounces the 550s with fallback letters where an address is known`, async () => {
    const isBounce = (seq: number) => seq % 10 === 0;
    const server = await smtpServer({ unavailableForMs: OUTAGE_MS, refuse: (address) => address.includes('bounce') });
    const startedAt = Date.now();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, {
      count: 200,
      addressOf: (seq) => (isBounce(seq) ? `bounce-${seq}@example.test` : `bewoner-${seq}@example.test`),
      // half of the refused ones gave a postal address as well
      hasAddress: (seq) => seq % 20 === 0,
      lettersBefore: 3,
    });
    const campaignSender = sender(server, new TestComposer(subscribers), { ratePerSecond: 500 });

    // whatever the sender or nodemailer might print meanwhile is kept, to look for addresses in it
    const printed: string[] = [];
    const keep = (chunk: unknown) => (printed.push(String(chunk)), true);
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(keep),
      jest.spyOn(process.stderr, 'write').mockImplementation(keep),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => jest.spyOn(console, level).mockImplementation((...args) => void printed.push(args.map(String).join(' ')))),
    ];
    let run: Awaited<ReturnType<typeof sendAll>>;
    try {
      run = await sendAll(campaignSender, campaignId, 80);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const { pages, waits } = run;
    const elapsed = Date.now() - startedAt;
    expect(printed.join('\n')).not.toMatch(/@|bounce-|bewoner-/);

    // the outage was met: pages deferred as a whole, the loop backed off, and it took the 30 s
    expect(server.refusedConnections).toBeGreaterThan(0);
    const deferredPages = pages.filter((page) => page.deferred > 0 && page.sent === 0);
    expect(deferredPages.length).toBeGreaterThanOrEqual(4);
    expect(waits.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(elapsed).toBeGreaterThanOrEqual(OUTAGE_MS);

    const rows = await ledger(campaignId);
    const emails = rows.filter((row) => row.channel === 'email');
    const letters = rows.filter((row) => row.channel === 'letter');
    // every recipient exactly once in the ledger per channel
    expect(new Set(emails.map((row) => row.recipient_id)).size).toBe(200);
    expect(emails).toHaveLength(200);
    for (const row of emails) {
      if (isBounce(row.seq)) expect(row).toMatchObject({ state: 'bounced', failure_code: '550' });
      else expect(row).toMatchObject({ state: 'sent', failure_code: null });
    }
    // the first page's rows were tried during the outage, and again after it
    expect(emails.filter((row) => row.seq <= 80).every((row) => row.attempts >= 2)).toBe(true);
    const totals = pages.reduce((sum, page) => ({ sent: sum.sent + page.sent, bounced: sum.bounced + page.bounced, fallbackLetters: sum.fallbackLetters + page.fallbackLetters }), { sent: 0, bounced: 0, fallbackLetters: 0 });
    expect(totals).toEqual({ sent: 180, bounced: 20, fallbackLetters: 10 });

    // fallback letters: one for each bounced subscriber with an address, none for the others
    const fallback = letters.filter((row) => row.fallback);
    const withAddress = subscribers.filter((s) => isBounce(s.seq) && s.hasAddress).map((s) => s.recipientId);
    expect(fallback.map((row) => row.recipient_id).sort()).toEqual([...withAddress].sort());
    for (const row of fallback) expect(row).toMatchObject({ kind: 'subscriber', state: 'pending', message_id: null });
    expect(fallback.map((row) => row.seq)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(letters).toHaveLength(13);

    // the sink has every accepted message once and none of the refused
    const counts = server.countsByMessageId();
    expect(counts.size).toBe(180);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(server.received.some((mail) => mail.to.some((to) => to.includes('bounce')))).toBe(false);

    // no address in the ledger's codes or the results (the server's 550 text quotes the address)
    expect(rows.every((row) => row.failure_code === null || /^\d{3}$/.test(row.failure_code))).toBe(true);
    expect(JSON.stringify(pages)).not.toMatch(/@|bounce-/);
  }, 120_000);

  it('sends again what a crashed run left `sending`, with the same Message-ID: repeats at most the rows in flight', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 100 });
    const campaignSender = sender(server, new TestComposer(subscribers));

    expect(await campaignSender.sendPage({ campaignId, limit: 60 })).toMatchObject({ sent: 60, remaining: 40 });
    // a run that died between the server's acceptance of 41..60 and its ledger update
    const inFlight = await db.admin.query(
      `UPDATE campaign_recipients SET state = 'sending' WHERE campaign_id = $1 AND channel = 'email' AND seq BETWEEN 41 AND 60 RETURNING seq`,
      [campaignId],
    );
    expect(inFlight).toHaveLength(2); // [rows, count]
    const inFlightRows = 20;

    expect(await campaignSender.sendPage({ campaignId, limit: 100 })).toMatchObject({ sent: 60, remaining: 0 });

    const rows = await ledger(campaignId);
    expect(rows.every((row) => row.state === 'sent')).toBe(true);
    const counts = server.countsByMessageId();
    expect(counts.size).toBe(100);
    const repeated = [...counts].filter(([, n]) => n > 1);
    expect(repeated.length).toBeLessThanOrEqual(inFlightRows);
    expect(repeated.map(([id]) => id).sort()).toEqual(rows.filter((row) => row.seq >= 41 && row.seq <= 60).map((row) => row.message_id).sort());
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    expect(rows.filter((row) => row.seq >= 41 && row.seq <= 60).every((row) => row.attempts === 2)).toBe(true);
  });

  it('when the ledger cannot be written mid-page, it stops, throws naming the campaign only, and the next page repeats at most what was in flight', async () => {
    let terminate: (() => void) | undefined;
    let killed: Promise<{ killed: boolean }[]> | undefined;
    const server = await smtpServer({ onMail: () => terminate?.() });
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 300 });
    const campaignSender = sender(server, new TestComposer(subscribers), { maxConnections: 3, ratePerSecond: 300 });

    // once 50 messages are in, the sender's database session is killed (as a crash of its database side would);
    // only in this test's database: pg_locks lists every database's, and another test file's sender may hold one
    terminate = () => {
      if (server.received.length !== 50) return;
      killed = db.admin.query(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_locks
          WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [CAMPAIGN_EMAIL_SENDER_LOCK],
      );
    };
    const failure = await campaignSender.sendPage({ campaignId, limit: 300 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    terminate = undefined;
    expect(await killed).toEqual([{ killed: true }]);
    expect(failure).toBeInstanceOf(CampaignEmailSendError);
    expect((failure as Error).message).toMatch(new RegExp(`^campaign ${campaignId}: `));
    expect((failure as Error).message).not.toMatch(/@/);

    const left = (await ledger(campaignId)).filter((row) => row.state === 'sending').length;
    const receivedBefore = server.received.length;
    expect(receivedBefore).toBeLessThan(300);

    let page: EmailPageResult;
    do page = await campaignSender.sendPage({ campaignId, limit: 300 });
    while (page.remaining > 0);

    const rows = await ledger(campaignId);
    expect(rows.every((row) => row.state === 'sent')).toBe(true);
    const counts = server.countsByMessageId();
    expect(counts.size).toBe(300);
    const repeats = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    // a repeat needs a message accepted but not recorded: at most those left `sending` and already at the server
    expect(repeats).toBeLessThanOrEqual(left);
    expect(repeats).toBeLessThanOrEqual(receivedBefore);
    expect(new Set(counts.keys())).toEqual(new Set(rows.map((row) => row.message_id)));
  });

  it('skips a recipient whose personal data was erased: nothing sent', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 10 });
    const composer = new TestComposer(subscribers);
    composer.erased.add(subscribers[2].recipientId);
    composer.erased.add(subscribers[7].recipientId);

    expect(await sender(server, composer).sendPage({ campaignId, limit: 50 })).toEqual({ sent: 8, bounced: 0, deferred: 0, skipped: 2, fallbackLetters: 0, remaining: 0 });

    const rows = await ledger(campaignId);
    expect(rows.filter((row) => row.state === 'skipped').map((row) => row.seq)).toEqual([3, 8]);
    expect(server.received).toHaveLength(8);
    expect(server.received.flatMap((mail) => mail.to)).not.toEqual(expect.arrayContaining([subscribers[2].address]));
    expect(server.countsByMessageId().has(campaignMessageId(campaignId, 3, DOMAIN))).toBe(false);
  });

  it('defers the whole page at once when the relay cannot be reached, without any address in what it returns', async () => {
    const server = await smtpServer();
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 300 });
    const startedAt = Date.now();
    const page = await sender(server, new TestComposer(subscribers)).sendPage({ campaignId, limit: 300 });
    expect(page).toEqual({ sent: 0, bounced: 0, deferred: 300, skipped: 0, fallbackLetters: 0, remaining: 300 });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    const rows = await ledger(campaignId);
    expect(rows.every((row) => row.state === 'pending' && row.attempts === 1)).toBe(true);
    // nodemailer's code for a refused connection, the same on every row (the page stopped at the first)
    expect([...new Set(rows.map((row) => row.failure_code))]).toEqual([expect.stringMatching(/^(ECONNECTION|ESOCKET)$/)]);
  });

  it('defers only the greylisted recipient (451) and goes on with the page; the next page sends it', async () => {
    const server = await smtpServer({ greylist: (address) => address === 'bewoner-5@example.test' });
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 40 });
    const campaignSender = sender(server, new TestComposer(subscribers));
    expect(await campaignSender.sendPage({ campaignId, limit: 40 })).toEqual({ sent: 39, bounced: 0, deferred: 1, skipped: 0, fallbackLetters: 0, remaining: 1 });
    expect((await ledger(campaignId)).find((row) => row.seq === 5)).toMatchObject({ state: 'pending', attempts: 1, failure_code: '451' });
    expect(await campaignSender.sendPage({ campaignId, limit: 40 })).toEqual({ sent: 1, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0, remaining: 0 });
    expect((await ledger(campaignId)).find((row) => row.seq === 5)).toMatchObject({ state: 'sent', attempts: 2, failure_code: null });
    expect(server.countsByMessageId().size).toBe(40);
  });

  it('keeps to the rate limit over the pool', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 60 });
    const startedAt = Date.now();
    expect(await sender(server, new TestComposer(subscribers), { ratePerSecond: 20 }).sendPage({ campaignId, limit: 60 })).toMatchObject({ sent: 60 });
    // 20 in each second: the third twenty cannot start before 2 s
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - startedAt).toBeLessThan(8_000);
  });

  it('when composing fails, sends nothing and throws naming the campaign and seqs only; the rows are claimed again', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 5 });
    const composer = new TestComposer(subscribers);
    const failing = { compose: async () => Promise.reject(new Error(`cannot decrypt ${subscribers[0].address}`)) };
    const error = await sender(server, composer, { composer: failing }).sendPage({ campaignId, limit: 5 }).catch((e: unknown) => e as CampaignEmailSendError);
    expect(error).toBeInstanceOf(CampaignEmailSendError);
    expect(error).toMatchObject({ message: `campaign ${campaignId}: composing seq 1..5 failed`, causeType: 'Error' });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toMatch(/@/);
    expect(server.received).toHaveLength(0);
    expect((await ledger(campaignId)).every((row) => row.state === 'sending' && row.attempts === 1)).toBe(true);

    expect(await sender(server, composer).sendPage({ campaignId, limit: 5 })).toMatchObject({ sent: 5, remaining: 0 });
    expect((await ledger(campaignId)).every((row) => row.state === 'sent' && row.attempts === 2)).toBe(true);
  });

  it('lets one sender work on a campaign at a time', async () => {
    const server = await smtpServer();
    const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: 200 });
    const campaignSender = sender(server, new TestComposer(subscribers), { maxConnections: 1, ratePerSecond: 500 });
    const first = campaignSender.sendPage({ campaignId, limit: 200 });
    await delay(50);
    await expect(campaignSender.sendPage({ campaignId, limit: 200 })).rejects.toBeInstanceOf(CampaignEmailSenderBusyError);
    expect(await first).toMatchObject({ sent: 200, remaining: 0 });
    expect(server.received).toHaveLength(200);
  });
});
