import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemporalActivities } from '../temporal/temporal-activities.decorator';
import { Mailer } from './mailer.service';

export interface NotifyRequest {
  /** Deterministic per transition, alarm and recipient: the key that keeps a notification single. */
  notificationId: string;
  kind: string;
  organisation: string;
  transitionId: string;
  subject: string;
  body: string;
}

/**
 * Notifies an organisation on both channels: the in-app inbox (`GET /me/notifications`) and
 * e-mail to the organisation's address. A retry or restart finds the inbox entry and the
 * e-mail marked sent, and does neither again. Only if the process dies between handing the
 * mail to SMTP and marking it sent is it sent again, with the same Message-ID.
 */
@Injectable()
@TemporalActivities()
export class NotificationActivities {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
  ) {}

  async notify(request: NotifyRequest): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notifications (id, organisation, kind, subject, body, transition_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [request.notificationId, request.organisation, request.kind, request.subject, request.body, request.transitionId],
    );
    const [organisation] = await this.dataSource.query('SELECT email FROM organisations WHERE code = $1', [
      request.organisation,
    ]);
    const recipient: string | undefined = organisation?.email ?? undefined;
    if (!recipient) return;

    await this.dataSource.query(
      `INSERT INTO email_deliveries (notification_id, recipient, status) VALUES ($1, $2, 'sending')
       ON CONFLICT (notification_id, recipient) DO NOTHING`,
      [request.notificationId, recipient],
    );
    const [delivery] = await this.dataSource.query(
      'SELECT status FROM email_deliveries WHERE notification_id = $1 AND recipient = $2',
      [request.notificationId, recipient],
    );
    if (delivery.status === 'sent') return;
    await this.mailer.send({
      to: recipient,
      subject: request.subject,
      text: `${request.body}\n\nTransition: ${request.transitionId}`,
      messageId: `<${encodeURIComponent(request.notificationId)}@overdracht>`,
    });
    await this.dataSource.query(
      `UPDATE email_deliveries SET status = 'sent', updated_at = now() WHERE notification_id = $1 AND recipient = $2`,
      [request.notificationId, recipient],
    );
  }
}
