/**
 * The project's SMTP sink (src/devstack/smtp-sink.ts: a real SMTP server that parses every message
 * with mailparser) in a process of its own, for benchmarks: whatever sends to it (the bench's raw
 * baseline, a worker) then does not share its thread with the sink's parsing. It keeps no message:
 * it counts what arrived and how often each Message-ID came. Talks over the IPC channel of
 * `child_process.fork`:
 *
 *   → { url }                                        once listening
 *   ← { type: 'count', prefix }  → { type: 'count', received, distinct, repeats }   (Message-IDs starting with prefix)
 *   ← { type: 'stop' }          → exits when the server has closed (also when the parent goes away)
 */
import { SmtpSink } from '../../src/devstack/smtp-sink';

const seen = new Map<string, number>();
let received = 0;

async function main(): Promise<void> {
  const sink = await SmtpSink.start(0, (mail) => {
    received++;
    seen.set(mail.messageId, (seen.get(mail.messageId) ?? 0) + 1);
  });
  // Nothing is kept: the sink's own list would hold every message's text.
  const drain = setInterval(() => sink.received.splice(0), 1_000);
  const stop = async () => {
    clearInterval(drain);
    await sink.stop();
    process.exit(0);
  };
  process.on('message', (message: { type: string; prefix?: string }) => {
    if (message.type === 'count') {
      let matching = 0;
      let repeats = 0;
      let distinct = 0;
      for (const [id, n] of seen) {
        if (!id.startsWith(message.prefix ?? '')) continue;
        distinct++;
        matching += n;
        repeats += n - 1;
      }
      process.send!({ type: 'count', received: message.prefix ? matching : received, distinct, repeats });
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  process.on('disconnect', () => void stop());
  process.send!({ url: sink.url });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
