import { Module } from '@nestjs/common';
import { Mailer } from './mailer.service';
import { NotificationActivities } from './notification.activities';

@Module({ providers: [Mailer, NotificationActivities] })
export class NotificationsModule {}
