import type { DataSource } from 'typeorm';
import type { Mailer } from './mailer.service';
import { messageFor } from './messages';
import type { NotificationRequest } from './notification.types';

interface Delivery {
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
export function createNotificationActivities({ dataSource, mailer }: { dataSource: DataSource; mailer: Mailer }) {
  async function deliver(delivery: Delivery): Promise<void> {
    await dataSource.query(
      `INSERT INTO notifications (id, organisation, kind, subject, body, transition_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [delivery.notificationId, delivery.organisation, delivery.kind, delivery.subject, delivery.body, delivery.transitionId],
    );
    const [organisation] = await dataSource.query('SELECT email FROM organisations WHERE code = $1', [delivery.organisation]);
    const recipient: string | undefined = organisation?.email ?? undefined;
    if (!recipient) return;

    await dataSource.query(
      `INSERT INTO email_deliveries (notification_id, recipient, status) VALUES ($1, $2, 'sending')
       ON CONFLICT (notification_id, recipient) DO NOTHING`,
      [delivery.notificationId, recipient],
    );
    const [{ status }] = await dataSource.query(
      'SELECT status FROM email_deliveries WHERE notification_id = $1 AND recipient = $2',
      [delivery.notificationId, recipient],
    );
    if (status === 'sent') return;
    await mailer.send({
      to: recipient,
      subject: delivery.subject,
      text: `${delivery.body}\n\nTransition: ${delivery.transitionId}`,
      messageId: `<${encodeURIComponent(delivery.notificationId)}@overdracht>`,
    });
    await dataSource.query(
      `UPDATE email_deliveries SET status = 'sent', updated_at = now() WHERE notification_id = $1 AND recipient = $2`,
      [delivery.notificationId, recipient],
    );
  }

  return {
    /** Sends what the facts call for, worded here. */
    async sendNotification(request: NotificationRequest): Promise<void> {
      await deliver({ ...request, ...messageFor(request) });
    },

    /** The first release's activity (workflows/transition/v1), which worded messages itself. */
    async notify(request: Delivery): Promise<void> {
      await deliver(request);
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
