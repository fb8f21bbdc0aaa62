import { Module } from '@nestjs/common';
import { Mailer } from './mailer.service';
import { NotificationsController } from './notifications.controller';

@Module({ controllers: [NotificationsController], providers: [Mailer], exports: [Mailer] })
export class NotificationsModule {}
