import { ApiProperty } from '@nestjs/swagger';
import { RecordedEventResponse } from '../events/recorded-event.response';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';

export class AuditDigestResponse {
  @ApiProperty({ enum: ['SHA-256'] })
  algorithm: 'SHA-256';

  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description: "The stream's head hash recomputed from the exported events (not copied from the store); through the chain it stands for every event before it",
  })
  headHash: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  events: number;
}

export class BrokenLinkResponse {
  @ApiProperty({ type: 'integer', minimum: 1 })
  globalPosition: number;

  @ApiProperty()
  streamId: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  streamVersion: number;

  @ApiProperty({ example: 'content does not match its hash: the event was changed' })
  reason: string;
}

/** The chain as recomputed while exporting: a broken chain is reported here, never hidden. */
export class AuditVerificationResponse {
  @ApiProperty()
  intact: boolean;

  @ApiProperty({ type: () => BrokenLinkResponse, nullable: true, description: 'The first event whose chain does not hold' })
  firstBroken: BrokenLinkResponse | null;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The head hash as stored, for comparison with the recomputed digest' })
  storedHeadHash: string;

  @ApiProperty({ format: 'date-time' })
  verifiedAt: string;
}

/** `GET /transitions/{transitionId}/audit` as JSON: every event of the handover, and the digest to keep. */
export class AuditExportResponse {
  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: 'rotterdam.feijenoord.2027-06-01' })
  streamId: string;

  @ApiProperty({ format: 'date-time' })
  exportedAt: string;

  @ApiProperty({ type: () => [RecordedEventResponse] })
  events: RecordedEventResponse[];

  @ApiProperty({ type: () => AuditVerificationResponse })
  verification: AuditVerificationResponse;

  @ApiProperty({ type: () => AuditDigestResponse })
  digest: AuditDigestResponse;
}

export class VerificationScopeResponse {
  @ApiProperty({ type: 'string', nullable: true, description: 'The one stream verified, if one was asked for' })
  streamId: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: "The municipality whose streams were verified (the caller's)" })
  municipality: string | null;
}

/** `GET /audit/verify`: every hash chain in scope recomputed from the stored events. */
export class VerificationReportResponse {
  @ApiProperty()
  intact: boolean;

  @ApiProperty({ type: () => VerificationScopeResponse })
  scope: VerificationScopeResponse;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Streams verified' })
  streams: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events verified (up to and including the first broken one)' })
  events: number;

  @ApiProperty({ type: () => BrokenLinkResponse, nullable: true, description: 'The first event, by global position, whose chain does not hold' })
  firstBroken: BrokenLinkResponse | null;

  @ApiProperty({ format: 'date-time' })
  verifiedAt: string;
}
