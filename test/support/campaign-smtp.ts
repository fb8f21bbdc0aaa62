import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import type { ComposedEmail, EmailComposer } from '../../src/campaigns/sending';

export interface ReceivedCampaignMail {
  messageId: string;
  to: string[];
}

export interface CampaignSmtpServerOptions {
  /** Every connection gets "421 try again later" at the greeting for this long after start. */
  unavailableForMs?: number;
  /** Recipients refused for good: "550 <address>: mailbox unavailable" (the text quotes the address, as real servers do). */
  refuse?: (address: string) => boolean;
  /** Recipients refused for now, once each: "451 <address>: greylisted, try again later". */
  greylist?: (address: string) => boolean;
  onMail?: (mail: ReceivedCampaignMail) => void;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps the Message-ID and
 * envelope recipients of what it accepted, and can play a relay that is down for a while and
 * refuses some mailboxes.
 */
export class CampaignSmtpServer {
  readonly received: ReceivedCampaignMail[] = [];
  /** Connections answered with 421. */
  refusedConnections = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(options: CampaignSmtpServerOptions = {}): Promise<CampaignSmtpServer> {
    const startedAt = Date.now();
    let self: CampaignSmtpServer | undefined;
    const greylisted = new Set<string>();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      maxClients: 1000,
      onConnect(_session, callback) {
        if (options.unavailableForMs && Date.now() - startedAt < options.unavailableForMs) {
          self!.refusedConnections++;
          return callback(Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }));
        }
        callback();
      },
      onRcptTo(address, _session, callback) {
        if (options.greylist?.(address.address) && !greylisted.has(address.address)) {
          greylisted.add(address.address);
          return callback(Object.assign(new Error(`<${address.address}>: greylisted, try again later`), { responseCode: 451 }));
        }
        if (options.refuse?.(address.address)) {
          return callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const message = Buffer.concat(chunks).toString('latin1');
          const header = message.slice(0, message.search(/\r?\n\r?\n/));
          const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(header)?.[1] ?? '';
          const mail = { messageId, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
          self!.received.push(mail);
          options.onMail?.(mail);
          callback();
        });
      },
    });
    let reject: (error: Error) => void = () => undefined;
    await new Promise<void>((resolve, failed) => {
      reject = failed;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.off('error', reject);
    // A sender that dies mid-conversation resets its connection: that ends the conversation, not the server.
    server.on('error', () => undefined);
    self = new CampaignSmtpServer(server, (server.server.address() as { port: number }).port);
    return self;
  }

  /** How often each Message-ID arrived. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.received) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface TestSubscriber {
  recipientId: string;
  seq: number;
  address: string;
  hasAddress: boolean;
}

/**
 * A campaign's e-mail ledger written directly: an import, `count` subscribers (with or without a
 * postal address) and their pending e-mail rows, seq 1..count; optionally some letters already
 * numbered. `addressOf(seq)` is the e-mail address the test composer gives.
 */
export async function seedEmailLedger(
  admin: DataSource,
  {
    count,
    addressOf = (seq: number) => `bewoner-${seq}@example.test`,
    hasAddress = () => false,
    lettersBefore = 0,
  }: { count: number; addressOf?: (seq: number) => string; hasAddress?: (seq: number) => boolean; lettersBefore?: number },
): Promise<{ campaignId: string; subscribers: TestSubscriber[] }> {
  const campaignId = randomUUID();
  const importId = randomUUID();
  const transitionId = `test.${campaignId}`;
  await admin.query(
    `INSERT INTO audience_imports (import_id, transition_id, kind, file_hash, rows, new_rows) VALUES ($1, $2, 'subscribers', $3, $4, $4)`,
    [importId, transitionId, Buffer.from(campaignId), count],
  );
  const subscribers: TestSubscriber[] = Array.from({ length: count }, (_, i) => {
    const seq = i + 1;
    return { recipientId: `subscriber:${randomUUID()}`, seq, address: addressOf(seq), hasAddress: hasAddress(seq) };
  });
  await admin.query(
    `INSERT INTO campaign_subscribers (subscriber_id, transition_id, import_id, email_hash, wrapped_key, personal_data, has_address)
     SELECT substr(id, 12)::uuid, $1, $2, decode(md5(id), 'hex'), '\\x00'::bytea, '\\x00'::bytea, has
       FROM unnest($3::text[], $4::boolean[]) AS s(id, has)`,
    [transitionId, importId, subscribers.map((s) => s.recipientId), subscribers.map((s) => s.hasAddress)],
  );
  await admin.query(
    `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
     SELECT $1, id, 'email', 'subscriber', seq, 'pending' FROM unnest($2::text[], $3::int[]) AS s(id, seq)`,
    [campaignId, subscribers.map((s) => s.recipientId), subscribers.map((s) => s.seq)],
  );
  if (lettersBefore > 0) {
    await admin.query(
      `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
       SELECT $1, 'address:' || gen_random_uuid(), 'letter', 'address', n, 'pending' FROM generate_series(1, $2) AS n`,
      [campaignId, lettersBefore],
    );
  }
  return { campaignId, subscribers };
}

/** Composes a short message per subscriber; the erased ones (by recipient id) give null. */
export class TestComposer implements EmailComposer {
  readonly erased = new Set<string>();
  calls = 0;
  private readonly byId: Map<string, TestSubscriber>;

  constructor(subscribers: TestSubscriber[]) {
    this.byId = new Map(subscribers.map((s) => [s.recipientId, s]));
  }

  async compose(_campaignId: string, recipients: { recipientId: string; seq: number }[]): Promise<Map<string, ComposedEmail | null>> {
    this.calls++;
    return new Map(
      recipients.map(({ recipientId }) => {
        const subscriber = this.byId.get(recipientId);
        if (!subscriber || this.erased.has(recipientId)) return [recipientId, null];
        return [recipientId, testEmail(subscriber.address)];
      }),
    );
  }
}

export function testEmail(to: string): ComposedEmail {
  return {
    to,
    subject: 'Uw welzijnswerk in Feijenoord krijgt een nieuwe aanbieder',
    html: '<p>Beste bewoner,</p><p>Vanaf 1 juni 2022 krijgt Feijenoord een nieuwe aanbieder van welzijnswerk.</p>',
    text: 'Beste bewoner,\n\nVanaf 1 juni 2022 krijgt Feijenoord een nieuwe aanbieder van welzijnswerk.\n',
  };
}
