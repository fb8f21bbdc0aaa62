import { createTransport, Transporter } from 'nodemailer';
import { DataSource, QueryRunner } from 'typeorm';
import { mailDomainOf } from './message-id';
import { classifySmtpFailure } from './smtp-failure';

export interface ComposedEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface EmailComposer {
  /** The messages of one page, decrypted in bulk; null: the recipient's personal data is erased (skipped). */
  compose(campaignId: string, recipients: { recipientId: string; seq: number }[]): Promise<Map<string, ComposedEmail | null>>;
}

export interface EmailPageResult {
  sent: number;
  bounced: number;
  deferred: number;
  skipped: number;
  /** Letters added to the ledger for bounced subscribers with a postal address. */
  fallbackLetters: number;
  /** E-mail rows of the campaign still pending or sending after this page. */
  remaining: number;
}

export interface CampaignEmailSenderOptions {
  /** Connected in the application's role: reads and writes `campaign_recipients`, reads `campaign_subscribers`. */
  dataSource: DataSource;
  smtpUrl: string;
  /** MAIL_FROM; its domain is the Message-IDs' domain. */
  from: string;
  /** SMTP connections of the pool. */
  maxConnections: number;
  /** Messages per second at most, over the whole pool; 0: no limit. */
  ratePerSecond: number;
  composer: EmailComposer;
  /** Messages per SMTP connection before the pool opens a fresh one (nodemailer's maxMessages, default 100). */
  maxMessagesPerConnection?: number;
  /** nodemailer's connection, greeting and socket timeouts, in ms (defaults 10 s, 10 s, 60 s). */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
  /** Messages handed to the pool at once per connection (default 2: one being sent, one ready). */
  inFlightPerConnection?: number;
  /** Outcomes are written to the ledger in batches of this many (default 50) ... */
  recordBatchSize?: number;
  /** ... or after this long (default 100 ms), whichever comes first. */
  recordIntervalMs?: number;
}

/** Another sender holds the campaign's e-mail (an earlier attempt still running): try again later. */
export class CampaignEmailSenderBusyError extends Error {
  constructor(readonly campaignId: string) {
    super(`campaign ${campaignId}: another e-mail sender is working on it`);
    this.name = 'CampaignEmailSenderBusyError';
  }
}

/** A page could not be sent or recorded. Names the campaign and seqs, never an address or content. */
export class CampaignEmailSendError extends Error {
  constructor(
    message: string,
    /** The class of the underlying error, if any (its message is not kept: it may quote data). */
    readonly causeType?: string,
  ) {
    super(message);
    this.name = 'CampaignEmailSendError';
  }
}

/** Advisory lock keys (two-int form: namespace, hashtext(campaign id)). */
export const CAMPAIGN_EMAIL_SENDER_LOCK = 0x0ed0_2030;
/** Taken (per transaction) by whoever numbers a campaign's letters: fallback letters get the next seq. */
export const CAMPAIGN_LETTER_SEQ_LOCK = 0x0ed0_2031;

type Outcome =
  | { seq: number; state: 'sent' }
  | { seq: number; state: 'skipped' }
  | { seq: number; state: 'deferred'; code: string }
  | { seq: number; state: 'bounced'; code: string };

interface ClaimedRow {
  recipient_id: string;
  seq: number;
  message_id: string;
}

const typeOf = (error: unknown) => (error instanceof Error ? error.constructor.name : typeof error);

/**
 * Sends a campaign's e-mail page by page over its ledger (`campaign_recipients`, channel
 * `email`), through one pooled SMTP transport.
 *
 * Each message is sent once: a row is claimed (`sending`, its Message-ID fixed, attempts + 1) and
 * committed before its message goes out, and is marked `sent` only after the SMTP server accepted
 * it. A repeat can only follow a crash between that acceptance and the ledger's update (at most a
 * page's in-flight and not yet recorded messages), and carries the same Message-ID.
 *
 * Never logs or throws an address or a message's content: errors name the campaign and seq.
 */
export class CampaignEmailSender {
  private readonly transport: Transporter;
  private readonly domain: string;
  private readonly inFlightLimit: number;
  private readonly recordBatchSize: number;
  private readonly recordIntervalMs: number;

  constructor(private readonly options: CampaignEmailSenderOptions) {
    if (!Number.isInteger(options.maxConnections) || options.maxConnections < 1) throw new Error('maxConnections must be a whole number ≥ 1');
    if (!(options.ratePerSecond >= 0)) throw new Error('ratePerSecond must be ≥ 0');
    this.domain = mailDomainOf(options.from);
    const timeouts = options.timeouts ?? {};
    this.transport = createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessagesPerConnection ?? 100,
      // Retries are the ledger's (a deferred row comes back in a later page), not the pool's.
      maxRequeues: 0,
      ...(options.ratePerSecond > 0 ? rateOptions(options.ratePerSecond) : {}),
      connectionTimeout: timeouts.connectionMs ?? 10_000,
      greetingTimeout: timeouts.greetingMs ?? 10_000,
      socketTimeout: timeouts.socketMs ?? 60_000,
      logger: false,
      debug: false,
    } as Parameters<typeof createTransport>[0]);
    // Two per connection: one being sent, one ready, so no connection waits for the next message.
    this.inFlightLimit = options.maxConnections * (options.inFlightPerConnection ?? 2);
    this.recordBatchSize = options.recordBatchSize ?? 50;
    this.recordIntervalMs = options.recordIntervalMs ?? 100;
  }

  /**
   * Sends the next `limit` e-mail rows of the campaign (pending, or sending as a crashed run left
   * them), in seq order, and records every outcome. A temporary refusal puts a row back to
   * pending (deferred) without waiting: the caller backs off (see `emailBackoffMs`).
   */
  async sendPage(input: { campaignId: string; limit: number }, heartbeat?: (progress: { seq: number }) => void): Promise<EmailPageResult> {
    const { campaignId, limit } = input;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`campaign ${campaignId}: page limit must be a whole number ≥ 1`);
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      const [{ ok }] = await runner.query('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', [CAMPAIGN_EMAIL_SENDER_LOCK, campaignId]);
      if (!ok) throw new CampaignEmailSenderBusyError(campaignId);
      locked = true;
      const claimed = await this.claim(runner, campaignId, limit);
      const result: EmailPageResult = { sent: 0, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0, remaining: 0 };
      if (claimed.length > 0) await this.sendClaimed(runner, campaignId, claimed, result, heartbeat);
      const [{ remaining }] = await runner.query(
        `SELECT count(*)::int AS remaining FROM campaign_recipients
          WHERE campaign_id = $1 AND channel = 'email' AND state IN ('pending', 'sending')`,
        [campaignId],
      );
      result.remaining = remaining;
      return result;
    } finally {
      let unlockFailed: Error | undefined;
      if (locked) {
        await runner.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [CAMPAIGN_EMAIL_SENDER_LOCK, campaignId]).catch(() => {
          unlockFailed = new Error(`campaign ${campaignId}: releasing the sender lock failed`);
        });
      }
      // A session that may still hold the lock is closed, not pooled: closing it frees the lock.
      // (TypeORM's Postgres runner hands an error to node-postgres' pool, which then drops the client.)
      const discard = (runner as unknown as { releasePostgresConnection?: (error: Error) => Promise<void> }).releasePostgresConnection;
      if (unlockFailed && typeof discard === 'function') await discard.call(runner, unlockFailed);
      else await runner.release();
    }
  }

  /** Closes the SMTP pool (messages still being sent finish first). */
  close(): void {
    this.transport.close();
  }

  /** Claims the page: `sending`, Message-ID fixed, attempts + 1, committed before anything is sent. */
  private async claim(runner: QueryRunner, campaignId: string, limit: number): Promise<ClaimedRow[]> {
    // Structured: an UPDATE's plain result would be [rows, count].
    const { records } = await runner.query(
      // Rows by seq through the (campaign, channel, seq) index: a plan that holds also before the
      // freshly frozen ledger has statistics (a join on the page would scan the campaign per row).
      `UPDATE campaign_recipients r
          SET state = 'sending', attempts = r.attempts + 1, updated_at = now(),
              message_id = coalesce(r.message_id, '<campaign.' || r.campaign_id || '.' || r.seq || '@' || $3 || '>')
        WHERE r.campaign_id = $1 AND r.channel = 'email'
          AND r.seq = ANY (ARRAY(
                SELECT seq FROM campaign_recipients
                 WHERE campaign_id = $1 AND channel = 'email' AND state IN ('pending', 'sending')
                 ORDER BY seq LIMIT $2
                 FOR UPDATE SKIP LOCKED))
        RETURNING r.recipient_id, r.seq, r.message_id`,
      [campaignId, limit, this.domain],
      true,
    );
    const rows = records as ClaimedRow[];
    // The SQL spells campaignMessageId() (with the id as the database writes it); a row claimed
    // again keeps the Message-ID it was given first.
    rows.sort((a, b) => a.seq - b.seq);
    return rows;
  }

  private async sendClaimed(
    runner: QueryRunner,
    campaignId: string,
    claimed: ClaimedRow[],
    result: EmailPageResult,
    heartbeat?: (progress: { seq: number }) => void,
  ): Promise<void> {
    let composed: Map<string, ComposedEmail | null>;
    try {
      composed = await this.options.composer.compose(
        campaignId,
        claimed.map((row) => ({ recipientId: row.recipient_id, seq: row.seq })),
      );
    } catch (error) {
      // The rows stay `sending`, nothing went out: the next page claims them again.
      throw new CampaignEmailSendError(
        `campaign ${campaignId}: composing seq ${claimed[0].seq}..${claimed[claimed.length - 1].seq} failed`,
        typeOf(error),
      );
    }
    for (const row of claimed) {
      if (!composed.has(row.recipient_id)) throw new CampaignEmailSendError(`campaign ${campaignId}: the composer gave no message for seq ${row.seq}`);
    }

    const recorder = new OutcomeRecorder(runner, campaignId, result, this.recordBatchSize, this.recordIntervalMs, heartbeat);
    const toSend: { row: ClaimedRow; email: ComposedEmail }[] = [];
    for (const row of claimed) {
      const email = composed.get(row.recipient_id);
      if (email) toSend.push({ row, email });
      else recorder.add({ seq: row.seq, state: 'skipped' });
    }
    composed.clear();

    // Hands messages to the pool a few at a time, so a server that refuses everything for now
    // (421, connection refused) stops the page at once: what was not handed out is deferred.
    let stoppedWith: string | undefined;
    let next = 0;
    let inFlight = 0;
    await new Promise<void>((resolve) => {
      const dispatch = () => {
        while (stoppedWith === undefined && !recorder.failed && next < toSend.length && inFlight < this.inFlightLimit) {
          const { row, email } = toSend[next++];
          inFlight++;
          this.transport
            .sendMail({ from: this.options.from, to: email.to, subject: email.subject, html: email.html, text: email.text, messageId: row.message_id })
            .then(
              () => recorder.add({ seq: row.seq, state: 'sent' }),
              (error: unknown) => {
                const failure = classifySmtpFailure(error);
                recorder.add({ seq: row.seq, state: failure.outcome, code: failure.code });
                if (failure.serverWide && stoppedWith === undefined) stoppedWith = failure.code;
              },
            )
            .finally(() => {
              inFlight--;
              dispatch();
            });
        }
        if (inFlight === 0) resolve();
      };
      dispatch();
    });
    if (!recorder.failed) {
      for (const { row } of toSend.slice(next)) recorder.add({ seq: row.seq, state: 'deferred', code: stoppedWith ?? 'EUNKNOWN' });
    }
    await recorder.finish();
  }
}

function rateOptions(ratePerSecond: number): { rateDelta: number; rateLimit: number } {
  // nodemailer counts messages per window of rateDelta ms; below 1 per second, one per longer window.
  return ratePerSecond >= 1 ? { rateDelta: 1000, rateLimit: Math.floor(ratePerSecond) } : { rateDelta: Math.round(1000 / ratePerSecond), rateLimit: 1 };
}

/**
 * Writes outcomes into the ledger in batches (every `batchSize` results or `intervalMs`), one
 * transaction per batch, one at a time. A row is only changed while it is still `sending`.
 */
class OutcomeRecorder {
  private buffer: Outcome[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private highestSeq = -1;
  failed = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly campaignId: string,
    private readonly result: EmailPageResult,
    private readonly batchSize: number,
    private readonly intervalMs: number,
    private readonly heartbeat?: (progress: { seq: number }) => void,
  ) {}

  add(outcome: Outcome): void {
    this.buffer.push(outcome);
    if (this.buffer.length >= this.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  async finish(): Promise<void> {
    this.flush();
    await this.chain;
    if (this.failed) throw new CampaignEmailSendError(`campaign ${this.campaignId}: recording e-mail outcomes failed; unrecorded rows stay sending`);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await this.write(batch);
        for (const outcome of batch) this.highestSeq = Math.max(this.highestSeq, outcome.seq);
        this.heartbeat?.({ seq: this.highestSeq });
      } catch {
        this.failed = true;
      }
    });
  }

  private async write(batch: Outcome[]): Promise<void> {
    const runner = this.runner;
    const counts = { sent: 0, skipped: 0, deferred: 0, bounced: 0, fallbackLetters: 0 };
    await runner.startTransaction();
    try {
      // One UPDATE per outcome (and code), rows by seq through the (campaign, channel, seq) index.
      for (const [key, seqs] of groupBySeq(batch)) {
        const [state, code] = key.split(' ') as [Outcome['state'], string | undefined];
        if (state === 'sent') counts.sent += await this.update(`state = 'sent', failure_code = NULL`, seqs);
        else if (state === 'skipped') counts.skipped += await this.update(`state = 'skipped'`, seqs);
        else if (state === 'deferred') counts.deferred += await this.update(`state = 'pending', failure_code = $3`, seqs, code);
        else {
          const { bounced, letters } = await this.bounce(seqs, code!);
          counts.bounced += bounced;
          counts.fallbackLetters += letters;
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
    this.result.sent += counts.sent;
    this.result.skipped += counts.skipped;
    this.result.deferred += counts.deferred;
    this.result.bounced += counts.bounced;
    this.result.fallbackLetters += counts.fallbackLetters;
  }

  /** Updates the rows of these seqs that are still `sending`; their number. */
  private async update(set: string, seqs: number[], code?: string): Promise<number> {
    const [{ n }] = await this.runner.query(
      `WITH changed AS (
         UPDATE campaign_recipients SET ${set}, updated_at = now()
          WHERE campaign_id = $1 AND channel = 'email' AND seq = ANY ($2::int[]) AND state = 'sending'
          RETURNING 1)
       SELECT count(*)::int AS n FROM changed`,
      code === undefined ? [this.campaignId, seqs] : [this.campaignId, seqs, code],
    );
    return n;
  }

  /**
   * Marks these rows bounced and adds a fallback letter for each whose subscriber gave a postal
   * address, numbered after the campaign's last letter (under the letter-numbering lock).
   */
  private async bounce(seqs: number[], code: string): Promise<{ bounced: number; letters: number }> {
    await this.runner.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [CAMPAIGN_LETTER_SEQ_LOCK, this.campaignId]);
    const [row] = await this.runner.query(
      `WITH bounced AS (
         UPDATE campaign_recipients SET state = 'bounced', failure_code = $3, updated_at = now()
          WHERE campaign_id = $1 AND channel = 'email' AND seq = ANY ($2::int[]) AND state = 'sending'
          RETURNING recipient_id, kind, seq),
       letter AS (
         SELECT b.recipient_id, row_number() OVER (ORDER BY b.seq) AS n
           FROM bounced b
           JOIN campaign_subscribers s
             ON s.subscriber_id = (CASE WHEN b.recipient_id ~ '^subscriber:[0-9a-fA-F-]{36}$' THEN substr(b.recipient_id, 12)::uuid END)
          WHERE b.kind = 'subscriber' AND s.has_address),
       inserted AS (
         INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state, fallback)
         SELECT $1, letter.recipient_id, 'letter', 'subscriber',
                (SELECT coalesce(max(seq), 0) FROM campaign_recipients WHERE campaign_id = $1 AND channel = 'letter') + letter.n,
                'pending', true
           FROM letter
         ON CONFLICT (campaign_id, channel, recipient_id) DO NOTHING
         RETURNING 1)
       SELECT (SELECT count(*) FROM bounced)::int AS bounced, (SELECT count(*) FROM inserted)::int AS letters`,
      [this.campaignId, seqs, code],
    );
    return row;
  }
}

/** Seqs by outcome and code ("sent", "deferred 421", "bounced 550"). */
function groupBySeq(batch: Outcome[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const outcome of batch) {
    const key = 'code' in outcome ? `${outcome.state} ${outcome.code}` : outcome.state;
    const seqs = groups.get(key);
    if (seqs) seqs.push(outcome.seq);
    else groups.set(key, [outcome.seq]);
  }
  return groups;
}
