/**
 * Campaign e-mail throughput: CampaignEmailSender.sendPage over the ledger (claim, compose,
 * send through the pool, record every outcome) against raw pooled nodemailer sending the same
 * messages with the same Message-IDs to the same SMTP server, in the same run, alternating
 * which goes first. Not part of `npm test`:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node -r ts-node/register/transpile-only test/bench/campaign-email.bench.ts
 *
 * BENCH_CAMPAIGN_EMAILS (5,000), BENCH_CAMPAIGN_PAGE (500), BENCH_CAMPAIGN_CONNECTIONS (5),
 * BENCH_CAMPAIGN_ROUNDS (2), BENCH_CAMPAIGN_SINK: `light` (keeps the Message-ID header only) or
 * `devstack` (the project's SmtpSink, which parses each message with mailparser) or `both`.
 */
import 'reflect-metadata';
import { createTransport } from 'nodemailer';
import { campaignMessageId, CampaignEmailSender, mailDomainOf } from '../../src/campaigns/sending';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { CampaignSmtpServer, seedEmailLedger, TestComposer, testEmail } from '../support/campaign-smtp';
import { createBenchDatabase } from './bench-database';
import { Cleanup } from './cleanup';
import { intFromEnv } from './env';

const EMAILS = intFromEnv('BENCH_CAMPAIGN_EMAILS', 5_000);
const PAGE = intFromEnv('BENCH_CAMPAIGN_PAGE', 500);
const CONNECTIONS = intFromEnv('BENCH_CAMPAIGN_CONNECTIONS', 5);
const ROUNDS = intFromEnv('BENCH_CAMPAIGN_ROUNDS', 2);
const SINKS = (process.env.BENCH_CAMPAIGN_SINK ?? 'both') === 'both' ? ['light', 'devstack'] : [process.env.BENCH_CAMPAIGN_SINK!];
const FROM = 'Gemeente Rotterdam <wijkinfo@rotterdam.example>';

interface Sink {
  url: string;
  count(): number;
  stop(): Promise<void>;
}

async function startSink(kind: string): Promise<Sink> {
  if (kind === 'light') {
    const server = await CampaignSmtpServer.start();
    return { url: server.url, count: () => server.received.length, stop: () => server.stop() };
  }
  if (kind === 'devstack') {
    const sink = await SmtpSink.start(0);
    return { url: sink.url, count: () => sink.received.length, stop: () => sink.stop() };
  }
  throw new Error(`BENCH_CAMPAIGN_SINK: light, devstack or both, not ${kind}`);
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL: the PostgreSQL server to make the benchmark database on');
  const cleanup = new Cleanup();
  cleanup.onSignals();
  try {
    const db = await createBenchDatabase(serverUrl, 'bench_campaign_email', cleanup);
    const domain = mailDomainOf(FROM);
    const lines: string[] = [];
    for (const sinkKind of SINKS) {
      const sink = await cleanup.start(`${sinkKind} sink`, startSink(sinkKind), (s) => s.stop());
      const raw: number[] = [];
      const campaign: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { campaignId, subscribers } = await seedEmailLedger(db.admin, { count: EMAILS });
        const messages = subscribers.map((s) => ({ ...testEmail(s.address), messageId: campaignMessageId(campaignId, s.seq, domain) }));

        const runRaw = async () => {
          const transport = createTransport({ url: sink.url, pool: true, maxConnections: CONNECTIONS, maxMessages: 100, logger: false } as Parameters<typeof createTransport>[0]);
          const before = sink.count();
          const started = process.hrtime.bigint();
          await Promise.all(messages.map((m) => transport.sendMail({ from: FROM, ...m })));
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          transport.close();
          if (sink.count() - before !== EMAILS) throw new Error('raw: not every message arrived');
          raw.push(ms);
        };
        const runCampaign = async () => {
          const sender = new CampaignEmailSender({
            dataSource: db.app,
            smtpUrl: sink.url,
            from: FROM,
            maxConnections: CONNECTIONS,
            ratePerSecond: 0,
            composer: new TestComposer(subscribers),
            ...(process.env.BENCH_CAMPAIGN_RECORD_BATCH ? { recordBatchSize: Number(process.env.BENCH_CAMPAIGN_RECORD_BATCH) } : {}),
            ...(process.env.BENCH_CAMPAIGN_IN_FLIGHT ? { inFlightPerConnection: Number(process.env.BENCH_CAMPAIGN_IN_FLIGHT) } : {}),
          });
          const before = sink.count();
          const started = process.hrtime.bigint();
          for (;;) {
            const page = await sender.sendPage({ campaignId, limit: PAGE });
            if (page.remaining === 0) break;
          }
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          sender.close();
          if (sink.count() - before !== EMAILS) throw new Error('campaign: not every message arrived');
          const [{ sent }] = await db.admin.query(`SELECT count(*)::int AS sent FROM campaign_recipients WHERE campaign_id = $1 AND state = 'sent'`, [campaignId]);
          if (sent !== EMAILS) throw new Error('campaign: not every row is sent');
          campaign.push(ms);
        };
        if (round % 2 === 0) {
          await runRaw();
          await runCampaign();
        } else {
          await runCampaign();
          await runRaw();
        }
      }
      const best = (xs: number[]) => Math.min(...xs);
      const rate = (ms: number) => Math.round((EMAILS / ms) * 1000);
      lines.push(
        `| ${sinkKind} | ${EMAILS} | raw nodemailer pool | ${raw.map((ms) => `${Math.round(ms)}`).join(' / ')} | ${rate(best(raw))} |`,
        `| ${sinkKind} | ${EMAILS} | CampaignEmailSender (pages of ${PAGE}) | ${campaign.map((ms) => `${Math.round(ms)}`).join(' / ')} | ${rate(best(campaign))} |`,
        `| ${sinkKind} | | ratio (campaign / raw, best runs) | | ${(best(raw) / best(campaign)).toFixed(2)}× |`,
      );
    }
    process.stdout.write(
      [`${CONNECTIONS} SMTP connections, no rate limit, ${ROUNDS} rounds`, '| sink | messages | sender | ms per round | msg/s (best) |', '|---|---|---|---|---|', ...lines, ''].join('\n'),
    );
  } finally {
    await cleanup.run();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
