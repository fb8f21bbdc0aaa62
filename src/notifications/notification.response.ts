import { ApiProperty } from '@nestjs/swagger';
import { CODE } from '../organisations/codes';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';
import type { NotificationKind } from './notification.types';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['task-reminder', 'escalation', 'go-live-reminder', 'go-live-gate'];

/** A message in the in-app inbox of `GET /me/notifications`. */
export class NotificationResponse {
  @ApiProperty({ description: 'Deterministic per handover, alarm and recipient' })
  id: string;

  @ApiProperty({ pattern: CODE.source, example: 'welzijn-maas', description: 'The organisation it is for' })
  organisation: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty()
  subject: string;

  @ApiProperty()
  body: string;

  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: 'rotterdam.feijenoord.2027-06-01' })
  transitionId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
