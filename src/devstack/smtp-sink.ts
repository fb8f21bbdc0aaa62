import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives: the development and test
 * stand-in for a mail relay. It accepts any sender and recipient, without authentication.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(port: number, onMail: (mail: ReceivedMail) => void = () => undefined): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const mail = {
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              subject: parsed.subject ?? '',
              messageId: parsed.messageId ?? '',
              text: parsed.text ?? '',
            };
            sink!.received.push(mail);
            onMail(mail);
            callback();
          })
          .catch(callback);
      },
    });
    let reject: (error: Error) => void = () => undefined;
    await new Promise<void>((resolve, failed) => {
      reject = failed;
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.off('error', reject);
    // A sender that dies mid-conversation resets its connection: that ends the conversation, not the server.
    server.on('error', () => undefined);
    const address = (server.server.address() as { port: number }).port;
    sink = new SmtpSink(server, address);
    return sink;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
