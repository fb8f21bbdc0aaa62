import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Stable per notification, so a mail sent again after a crash is recognisable as the same. */
  messageId: string;
}

/** E-mail over SMTP (nodemailer), as configured by SMTP_URL and MAIL_FROM. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(config: ConfigService) {
    this.transport = createTransport(config.getOrThrow<string>('SMTP_URL'));
    this.from = config.getOrThrow<string>('MAIL_FROM');
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
