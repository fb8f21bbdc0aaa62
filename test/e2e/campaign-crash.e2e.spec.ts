import { setTimeout as delay } from 'node:timers/promises';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { SAMPLE_MESSAGE_FIELDS } from '../../src/campaigns/letters/sample-letter';
import { sampleAddressList, sampleSubscriberList } from '../../src/demo/sample-audiences';
import { CampaignSmtpServer } from '../support/campaign-smtp';
import { eventually } from '../support/eventually';
import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { ServiceStack } from '../support/service-stack';

/**
 * A worker killed with `kill -9` in the middle of a resident campaign, twice: once half-way
 * through the e-mails, once while a print file of letters is being rendered; each time a new
 * worker takes over. The service runs as production runs it: the API without a worker
 * (RUN_WORKER=false) and a separate worker process, on a real Temporal dev server, PostgreSQL
 * and an SMTP server on loopback (the `smtp-server` package) that keeps every message's
 * Message-ID. Everything goes through the API: the handover, 3,000 addresses and 4,000 e-mail
 * subscribers (CSV), the campaign, its approval, the print files marked handed to print and
 * posted.
 *
 * Afterwards:
 * - the e-mail ledger holds each subscriber once, `sent`, with a Message-ID of its own;
 * - every ledger Message-ID reached the SMTP server at least once, and the server got nothing else;
 * - a Message-ID that arrived more than once (a repeat) belongs to a row the dead worker left
 *   `sending` (claimed, its message perhaps accepted, its outcome not yet recorded) and had reached
 *   the server before the kill; so repeats ≤ the rows left `sending` ≤ one page (see REPEAT BOUND);
 * - every address has one letter, in exactly one print file: the manifests list each recipient
 *   once across all files, and the files' letter counts add up to the addresses;
 * - the campaign's stream has one LetterBatchRendered per print file, its pages' counts add up
 *   to the subscribers (the page the worker died in counted once, in full), its versions run 1..n;
 *   the campaign completes with those counts, and the handover's "residents informed" milestone is met.
 *
 * REPEAT BOUND. CampaignEmailSender claims a page (CAMPAIGN_EMAIL_PAGE_SIZE rows, `sending`,
 * committed) before it sends, and marks a row `sent` only after the SMTP server accepted its
 * message; outcomes are written in batches (50, or every 100 ms). A message is sent again only
 * when its row is still `sending` after the crash and the server had already accepted it: one
 * in flight (at most connections × in-flight per connection = 5 × 2) whose acceptance the worker
 * never heard, or one accepted whose outcome still waited in the recorder's buffer or in a batch
 * not yet committed (up to 50 and more, should the database lag). So connections × in-flight is
 * not a bound, and the buffer has none of its own; what bounds repeats is that only rows
 * `sending` are sent again, and a campaign has at most one page `sending` (the sender's advisory
 * lock): repeats ≤ rows `sending` at the kill ≤ the page size. Seen here: 9 and 10 repeats when
 * the kill came right after a commit of outcomes, 17 when it came 60 ms later (of 235–250 rows
 * left `sending`): more than the 10 in flight.
 */

const ADDRESSES = 3_000;
const SUBSCRIBERS = 4_000;
/** Slow enough that the kill lands mid-campaign: 4,000 e-mails take ~20 s. */
const RATE_PER_SECOND = 200;
const CONNECTIONS = 5;
const PAGE_SIZE = 500;
/** What the sender holds unrecorded at most when the database keeps up (see REPEAT BOUND), for the report. */
const IN_FLIGHT_PLUS_BUFFER = CONNECTIONS * 2 + 50;
/** The worker dies once this many e-mails are recorded sent: half-way through page 5 of 8. */
const SENT_AT_KILL = 2_250;
/** How long after seeing that many recorded the kill comes: within the recorder's 100 ms interval. */
const KILL_AFTER_COMMIT_MS = 60;
const LETTERS_PER_BATCH = 1_000;
const BATCHES = Math.ceil(ADDRESSES / LETTERS_PER_BATCH);
/** The lock renderLetterBatch holds for its transaction (campaign.activities.ts, CAMPAIGN_LOCK_CLASS). */
const CAMPAIGN_LOCK_CLASS = 0x0ca3;

const https = (contact: { name: string; phone: string; email: string; website: string }) => ({ ...contact, website: `https://${contact.website}` });
const { district: _district, goLiveDate: _goLive, ...sampleFields } = SAMPLE_MESSAGE_FIELDS;
const FIELDS = {
  ...sampleFields,
  municipality: { name: sampleFields.municipality.name, contact: https(sampleFields.municipality.contact) },
  outgoing: https(sampleFields.outgoing),
  incoming: https(sampleFields.incoming),
};

describe('a worker killed with kill -9 mid-campaign: every recipient once, repeats bounded (API and workers as processes)', () => {
  let stack: ServiceStack;
  let smtp: CampaignSmtpServer;
  let worker: ServiceProcess;
  let workersStarted = 0;
  let passed = false;

  const serviceEnv = () => ({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Gemeente Rotterdam <wijkinfo@rotterdam.example>',
    CAMPAIGN_SMTP_RATE_PER_SECOND: String(RATE_PER_SECOND),
    CAMPAIGN_SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
    CAMPAIGN_EMAIL_PAGE_SIZE: String(PAGE_SIZE),
  });
  const startWorker = async () => {
    workersStarted += 1;
    worker = await stack.startWorker(`worker-${workersStarted}`, serviceEnv());
    return worker;
  };

  beforeAll(async () => {
    [stack, smtp] = await Promise.all([ServiceStack.start('campaign-crash'), CampaignSmtpServer.start()]);
    await Promise.all([stack.startApi('api', { RUN_WORKER: 'false', ...serviceEnv() }), startWorker()]);
  }, 300_000);

  afterAll(async () => {
    if (!passed && stack) process.stderr.write(`\n[campaign-crash] service logs:\n${stack.logTails()}\n`);
    await smtp?.stop();
    const left = (await stack?.stop()) ?? [];
    expect(left).toEqual([]); // every process this file started has ended
  }, 120_000);

  async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const answer = await stack.request('coordinator', method, path, {
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
      timeoutMs: 120_000,
    });
    if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 500) || answer.error}`);
    return answer.body;
  }

  /** Ledger rows of one channel per state. */
  async function ledger(campaignId: string, channel: 'email' | 'letter'): Promise<Record<string, number>> {
    const rows: Array<{ state: string; n: number }> = await stack.db.admin.query(
      'SELECT state, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND channel = $2 GROUP BY state',
      [campaignId, channel],
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  /** Polls `check` closely until it answers a value; fails after `timeoutMs`, saying what it saw last. */
  async function waitFor<T>(what: string, check: () => Promise<T | undefined>, seen: () => Promise<unknown>, timeoutMs = 180_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s; last seen ${JSON.stringify(await seen())}`);
      await delay(50);
    }
  }

  it('e-mails: kill -9 half-way, a new worker sends the rest; letters: kill -9 while a print file renders; each recipient once', async () => {
    const problems: string[] = [];
    const { admin } = stack.db;
    const goLiveDate = goLiveInDays(150);
    const transitionId = `rotterdam.feijenoord.${goLiveDate}`;

    // ---- the handover, its audiences and its campaign, over HTTP -------------------------------
    await send('POST', '/transitions', { municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate });
    const addresses = await send('POST', `/transitions/${transitionId}/audiences/addresses`, sampleAddressList(ADDRESSES), 'text/csv');
    const subscribers = await send('POST', `/transitions/${transitionId}/audiences/subscribers`, sampleSubscriberList(SUBSCRIBERS), 'text/csv');
    expect([addresses.newRows, subscribers.newRows]).toEqual([ADDRESSES, SUBSCRIBERS]);
    const draft = await send('POST', `/transitions/${transitionId}/campaigns`, { fields: FIELDS });
    const { campaignId } = draft as { campaignId: string };
    const streamId = campaignIdOf(transitionId, campaignId);
    const approvedAt = Date.now();
    await send('POST', `/transitions/${transitionId}/campaigns/${campaignId}/approve`, { expectedVersion: draft.version });

    // ---- kill -9 half-way through the e-mails --------------------------------------------------
    const emailVictim = worker;
    const sentBeforeKill = await waitFor(
      `${SENT_AT_KILL} e-mails sent with a page in flight`,
      async () => {
        const states = await ledger(campaignId, 'email');
        if ((states.sent ?? 0) >= SUBSCRIBERS) throw new Error(`every e-mail was sent before the worker could be killed: ${JSON.stringify(states)}`);
        return (states.sent ?? 0) >= SENT_AT_KILL && (states.sending ?? 0) > 0 ? states.sent : undefined;
      },
      () => ledger(campaignId, 'email'),
    );
    // Not right after a commit of outcomes (what the poll saw): a moment on, some outcomes wait in the recorder again.
    await delay(KILL_AFTER_COMMIT_MS);
    emailVictim.kill9();
    await emailVictim.exited;
    const emailKilledAt = Date.now();
    // What the dead worker left: rows claimed and not recorded, and what the server had got by then.
    const leftSending: Array<{ seq: number; message_id: string }> = await admin.query(
      `SELECT seq, message_id FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'email' AND state = 'sending' ORDER BY seq`,
      [campaignId],
    );
    const sendingAtKill = new Set(leftSending.map((row) => row.message_id));
    const receivedAtKill = new Set(smtp.received.map((mail) => mail.messageId));
    const atKill = { ledger: await ledger(campaignId, 'email'), received: smtp.received.length };
    const acceptedUnrecordedAtKill = [...sendingAtKill].filter((id) => receivedAtKill.has(id)).length;
    await startWorker();
    const emailReplacementUpMs = Date.now() - emailKilledAt;

    // ---- kill -9 while a print file renders (the e-mails done, batch 1 stored) -----------------
    const letterVictim = worker;
    const rendering = async () => {
      const [{ batches }] = await admin.query('SELECT count(*)::int AS batches FROM letter_batches WHERE campaign_id = $1', [campaignId]);
      if (batches >= BATCHES) throw new Error(`every print file was rendered before the worker could be killed`);
      const [{ held }] = await admin.query(
        `SELECT count(*)::int AS held FROM pg_locks
          WHERE locktype = 'advisory' AND classid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [CAMPAIGN_LOCK_CLASS],
      );
      return { batches: batches as number, held: held as number };
    };
    const batchesAtKill = await waitFor(
      'print file 2 or later rendering',
      async () => {
        const now = await rendering();
        return now.batches >= 1 && now.held > 0 ? now.batches : undefined;
      },
      async () => ({ rendering: await rendering(), email: await ledger(campaignId, 'email'), letter: await ledger(campaignId, 'letter') }),
      240_000,
    );
    await delay(500); // into the PDF: the letters are read, the file not yet stored
    const stillRendering = await rendering();
    letterVictim.kill9();
    await letterVictim.exited;
    const letterKilledAt = Date.now();
    const letterKill = { batchesAtKill, batchesAtKillAfterDelay: stillRendering.batches, lockHeldAtKill: stillRendering.held > 0 };
    if (stillRendering.batches !== batchesAtKill || stillRendering.held === 0) {
      problems.push(`the letter kill missed a rendering print file: ${JSON.stringify(letterKill)}`);
    }
    await startWorker();

    // ---- until every print file is rendered, then handed to print and posted ------------------
    await waitFor(
      `${BATCHES} print files rendered and recorded`,
      async () => {
        const letters = await ledger(campaignId, 'letter');
        const [{ n }] = await admin.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'LetterBatchRendered'`, [streamId]);
        return (letters.batched ?? 0) + (letters.skipped ?? 0) === ADDRESSES && n >= BATCHES ? true : undefined;
      },
      async () => ({ letter: await ledger(campaignId, 'letter'), email: await ledger(campaignId, 'email') }),
      240_000,
    );
    const lettersDoneMs = Date.now() - letterKilledAt;
    for (let batchNo = 1; batchNo <= BATCHES; batchNo++) {
      await send('POST', `/transitions/${transitionId}/campaigns/${campaignId}/batches/${batchNo}/handed-to-print`);
      await send('POST', `/transitions/${transitionId}/campaigns/${campaignId}/batches/${batchNo}/posted`);
    }
    const progress = await eventually(async () => {
      const read = await send('GET', `/transitions/${transitionId}/campaigns/${campaignId}`);
      if (read.state !== 'completed') throw new Error(`the campaign is ${read.state}`);
      return read;
    }, 60_000).catch(() => send('GET', `/transitions/${transitionId}/campaigns/${campaignId}`));
    if (progress.state !== 'completed') problems.push(`the campaign is ${progress.state}, not completed: ${JSON.stringify(progress.recipients)}`);
    if (progress.shareDone !== 1 || JSON.stringify(progress.recipients) !== JSON.stringify({ letter: { posted: ADDRESSES }, email: { sent: SUBSCRIBERS } })) {
      problems.push(`the campaign's progress: share done ${progress.shareDone}, recipients ${JSON.stringify(progress.recipients)}`);
    }

    // ---- the e-mail ledger and the SMTP server --------------------------------------------------
    const emailRows: Array<{ recipient_id: string; seq: number; state: string; message_id: string | null; attempts: number }> = await admin.query(
      `SELECT recipient_id, seq, state, message_id, attempts FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'email' ORDER BY seq`,
      [campaignId],
    );
    const expectCount = (what: string, actual: number, expected: number) => {
      if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`);
    };
    expectCount('e-mail ledger rows', emailRows.length, SUBSCRIBERS);
    expectCount('distinct e-mail recipients', new Set(emailRows.map((row) => row.recipient_id)).size, SUBSCRIBERS);
    expectCount('e-mail rows sent', emailRows.filter((row) => row.state === 'sent').length, SUBSCRIBERS);
    expectCount('distinct Message-IDs', new Set(emailRows.map((row) => row.message_id).filter(Boolean)).size, SUBSCRIBERS);
    const [{ missing }] = await admin.query(
      `SELECT count(*)::int AS missing FROM campaign_subscribers s WHERE s.transition_id = $1
          AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = $2 AND r.channel = 'email' AND r.recipient_id = 'subscriber:' || s.subscriber_id)`,
      [transitionId, campaignId],
    );
    expectCount('subscribers without an e-mail row', missing, 0);

    const counts = smtp.countsByMessageId();
    const ledgerIds = new Set(emailRows.map((row) => row.message_id!));
    const neverArrived = [...ledgerIds].filter((id) => !counts.has(id));
    expectCount('ledger Message-IDs the SMTP server never got', neverArrived.length, 0);
    const strangers = [...counts.keys()].filter((id) => !ledgerIds.has(id));
    expectCount('messages at the SMTP server of no ledger row', strangers.length, 0);
    const repeated = [...counts].filter(([, n]) => n > 1);
    const extraDeliveries = repeated.reduce((sum, [, n]) => sum + n - 1, 0);
    expectCount('messages received', smtp.received.length, SUBSCRIBERS + extraDeliveries);
    const repeatedNotLeftSending = repeated.filter(([id]) => !sendingAtKill.has(id));
    expectCount('repeated Message-IDs whose row was not left sending by the dead worker', repeatedNotLeftSending.length, 0);
    const repeatedNotReceivedBeforeKill = repeated.filter(([id]) => !receivedAtKill.has(id));
    expectCount('repeated Message-IDs the server had not got before the kill', repeatedNotReceivedBeforeKill.length, 0);
    for (const [id, n] of repeated) if (n > 2) problems.push(`${id} arrived ${n} times (one crash repeats a message once at most)`);
    if (extraDeliveries > sendingAtKill.size || sendingAtKill.size > PAGE_SIZE) {
      problems.push(`repeats ${extraDeliveries} exceed the rows left sending (${sendingAtKill.size}) or the page (${PAGE_SIZE})`);
    }
    const sentAgain = emailRows.filter((row) => row.attempts > 1);
    const sentAgainOutsideKill = sentAgain.filter((row) => !sendingAtKill.has(row.message_id!));
    expectCount('rows claimed more than once that were not left sending', sentAgainOutsideKill.length, 0);

    // ---- letters: each address once, in exactly one print file ---------------------------------
    const letterRows: Array<{ recipient_id: string; state: string; batch_no: number | null }> = await admin.query(
      `SELECT recipient_id, state, batch_no FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'letter'`,
      [campaignId],
    );
    expectCount('letter ledger rows', letterRows.length, ADDRESSES);
    expectCount('letter rows posted', letterRows.filter((row) => row.state === 'posted').length, ADDRESSES);
    const [{ unlettered }] = await admin.query(
      `SELECT count(*)::int AS unlettered FROM resident_addresses a WHERE a.transition_id = $1
          AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = $2 AND r.channel = 'letter' AND r.recipient_id = 'address:' || a.address_id)`,
      [transitionId, campaignId],
    );
    expectCount('addresses without a letter row', unlettered, 0);
    const batches: Array<{ batch_no: number; letters: number; manifest: string; state: string }> = await admin.query(
      'SELECT batch_no, letters, manifest, state FROM letter_batches WHERE campaign_id = $1 ORDER BY batch_no',
      [campaignId],
    );
    if (batches.map((b) => b.batch_no).join(',') !== Array.from({ length: BATCHES }, (_, i) => i + 1).join(',')) {
      problems.push(`print files ${batches.map((b) => b.batch_no).join(',')}, expected 1..${BATCHES}`);
    }
    expectCount('letters in the print files', batches.reduce((sum, b) => sum + b.letters, 0), ADDRESSES);
    const inManifests = new Map<string, number[]>();
    for (const batch of batches) {
      const lines = batch.manifest.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).slice(1);
      expectCount(`manifest rows of print file ${batch.batch_no}`, lines.length, batch.letters);
      if (batch.letters > LETTERS_PER_BATCH) problems.push(`print file ${batch.batch_no} holds ${batch.letters} letters`);
      for (const line of lines) {
        const recipientId = line.split(';')[2];
        inManifests.set(recipientId, [...(inManifests.get(recipientId) ?? []), batch.batch_no]);
      }
    }
    const twiceInManifests = [...inManifests].filter(([, files]) => files.length > 1);
    expectCount('recipients in more than one manifest row', twiceInManifests.length, 0);
    const letterIds = new Set(letterRows.map((row) => row.recipient_id));
    expectCount('letter recipients in the manifests', [...letterIds].filter((id) => inManifests.has(id)).length, ADDRESSES);
    expectCount('manifest rows of no letter recipient', [...inManifests.keys()].filter((id) => !letterIds.has(id)).length, 0);
    const wrongBatch = letterRows.filter((row) => inManifests.get(row.recipient_id)?.[0] !== row.batch_no);
    expectCount("letter rows whose batch_no is not their manifest's", wrongBatch.length, 0);

    // ---- the campaign's stream ------------------------------------------------------------------
    const events: Array<{ type: string; data: Record<string, number>; stream_version: number }> = await admin.query(
      'SELECT type, data, stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [streamId],
    );
    const versionsInOrder = events.every((event, i) => event.stream_version === i + 1);
    if (!versionsInOrder) problems.push(`the campaign's stream versions are not 1..${events.length}`);
    const rendered = events.filter((e) => e.type === 'LetterBatchRendered').map((e) => e.data.batchNo);
    if (rendered.join(',') !== Array.from({ length: BATCHES }, (_, i) => i + 1).join(',')) problems.push(`LetterBatchRendered batchNo ${rendered.join(',')}, expected 1..${BATCHES} once each`);
    const renderedLetters = events.filter((e) => e.type === 'LetterBatchRendered').reduce((sum, e) => sum + e.data.letters, 0);
    expectCount('letters in LetterBatchRendered events', renderedLetters, ADDRESSES);
    const pages = events.filter((e) => e.type === 'EmailPageSent').map((e) => e.data);
    const pageCounts = pages.reduce((sum, page) => ({ sent: sum.sent + page.sent, handled: sum.handled + page.sent + page.bounced + page.skipped }), { sent: 0, handled: 0 });
    expectCount('e-mails sent by the EmailPageSent events', pageCounts.sent, SUBSCRIBERS);
    expectCount('e-mails handled by the EmailPageSent events', pageCounts.handled, SUBSCRIBERS);
    const remaining = pages.map((page) => page.remaining);
    if (remaining.some((n, i) => i > 0 && n >= remaining[i - 1]) || remaining[remaining.length - 1] !== 0) {
      problems.push(`EmailPageSent remaining ${remaining.join(',')}: expected falling to 0, each page once`);
    }
    for (const type of ['CampaignApproved', 'RecipientsFrozen', 'CampaignCompleted']) {
      expectCount(`${type} events`, events.filter((e) => e.type === type).length, 1);
    }
    const completed = events.find((e) => e.type === 'CampaignCompleted')?.data;
    if (completed?.emailsSent !== SUBSCRIBERS || completed?.lettersPosted !== ADDRESSES) {
      problems.push(`CampaignCompleted ${JSON.stringify(completed)}, expected ${SUBSCRIBERS} e-mails sent and ${ADDRESSES} letters posted`);
    }
    const [campaignRow] = await admin.query('SELECT emails_sent, letters_rendered, letters_posted FROM campaigns WHERE campaign_id = $1', [campaignId]);
    if (campaignRow.emails_sent !== SUBSCRIBERS || campaignRow.letters_rendered !== ADDRESSES || campaignRow.letters_posted !== ADDRESSES) {
      problems.push(`the campaigns read model: ${JSON.stringify(campaignRow)}`);
    }

    // ---- the workflow's runs and the handover ---------------------------------------------------
    const runs = (await stack.cli.list(`WorkflowId = '${streamId}'`)).map((run) => run.status.replace('WORKFLOW_EXECUTION_STATUS_', ''));
    if (!runs.includes('COMPLETED') || runs.some((status) => status !== 'COMPLETED' && status !== 'CONTINUED_AS_NEW')) {
      problems.push(`the campaign workflow's runs: ${runs.join(', ')}, expected completed after continue-as-new`);
    }
    const milestone = await eventually(async () => {
      const handover = await send('GET', `/transitions/${transitionId}`);
      const informed = (handover.milestones as Array<{ id: string; met: boolean }>).find((m) => m.id === 'residents-informed');
      if (!informed?.met) throw new Error('residents-informed not met');
      return informed;
    }, 60_000).catch(() => null);
    if (!milestone) problems.push('the handover\'s "residents informed" milestone is not met');

    const verify = await send('GET', '/audit/verify');
    if (verify?.intact !== true) problems.push(`GET /audit/verify: ${JSON.stringify(verify)}`);

    process.stdout.write(
      `\n[campaign-crash] ${JSON.stringify({
        emailKill: {
          sentBeforeKill,
          ledgerAtKill: atKill.ledger,
          receivedAtKill: atKill.received,
          rowsLeftSending: sendingAtKill.size,
          leftSendingSeqs: leftSending.length ? `${leftSending[0].seq}..${leftSending[leftSending.length - 1].seq}` : '-',
          acceptedButUnrecordedAtKill: acceptedUnrecordedAtKill,
          replacementUpMs: emailReplacementUpMs,
        },
        repeats: { messageIds: repeated.length, extraDeliveries, bound: { rowsLeftSending: sendingAtKill.size, pageSize: PAGE_SIZE, inFlightPlusRecorderBuffer: IN_FLIGHT_PLUS_BUFFER } },
        rowsClaimedTwice: sentAgain.length,
        received: smtp.received.length,
        letterKill: { ...letterKill, lettersDoneMsAfterKill: lettersDoneMs },
        pages: pages.length,
        pageCounts,
        completed,
        workflowRuns: runs.length,
        campaignMs: Date.now() - approvedAt,
      })}\n`,
    );
    expect(problems).toEqual([]);
    passed = true;
  }, 600_000);
});
