import { ApiProperty } from '@nestjs/swagger';
import { NextCursor } from '../paging/page.response';
import { CODE } from '../organisations/codes';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';
import type { NotificationKind } from './notification.types';

/** Every kind, checked by the compiler: a kind added to NotificationFacts must be listed here. */
const KINDS: Record<NotificationKind, true> = {
  'task-reminder': true,
  escalation: true,
  'go-live-reminder': true,
  'go-live-gate': true,
  'transfer-stalled': true,
  'client-transfers-escalation': true,
  'campaign-behind-schedule': true,
  'readiness-late': true,
};
export const NOTIFICATION_KINDS = Object.keys(KINDS) as NotificationKind[];

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

/** `GET /me/notifications`: a page of your inbox. */
export class NotificationPageResponse {
  @ApiProperty({ type: () => [NotificationResponse] })
  items: NotificationResponse[];

  @NextCursor()
  nextCursor: string | null;
}
