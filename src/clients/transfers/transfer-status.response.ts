import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATE_PATTERN } from '../../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../../transitions/transition-id';
import type { TransferStatus } from '../../../workflows/client-transfer/definitions';
import { END_REASONS, INFORM_CHANNELS, PSEUDONYM_PATTERN, TARGET_GROUPS } from '../client.events';
import { TRANSFER_STEPS } from '../reads/client-transfer.response';
import { BULK_STATUSES, BulkStatus } from './bulk-commands';

export class InformedResponse {
  @ApiProperty({ format: 'date', pattern: DATE_PATTERN.source }) date: string;
  @ApiProperty({ enum: INFORM_CHANNELS }) channel: string;
}

export class TransferredFileResponse {
  @ApiProperty({ format: 'uuid' }) fileId: string;
  @ApiProperty({ enum: ['application/pdf', 'application/zip'] }) mediaType: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) bytes: number;
}

/** A client transfer's state after a command: codes and dates, never personal data. */
export class TransferStatusResponse {
  @ApiProperty({ pattern: PSEUDONYM_PATTERN.source }) pseudonym: string;
  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source }) transitionId: string;
  @ApiProperty({ enum: TARGET_GROUPS }) targetGroup: string;
  @ApiProperty({ enum: TRANSFER_STEPS }) step: string;
  @ApiProperty({ format: 'date-time', description: 'When the current step was reached' }) stepSince: string;
  @ApiProperty({ type: () => InformedResponse, nullable: true }) informed: InformedResponse | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: "The day of the client's answer" }) consentDate: string | null;
  @ApiProperty({ type: () => TransferredFileResponse, nullable: true }) file: TransferredFileResponse | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) intakeDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) acceptedDate: string | null;
  @ApiProperty({ enum: END_REASONS, nullable: true }) endReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was accepted, declined or ended' }) finishedAt: string | null;
  @ApiProperty() erased: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, description: "Version of the transfer's event stream" }) streamVersion: number;
}

export function transferStatusResponse(status: TransferStatus): TransferStatusResponse {
  return {
    pseudonym: status.pseudonym,
    transitionId: status.handover.transitionId,
    targetGroup: status.targetGroup,
    step: status.step,
    stepSince: new Date(status.stepSince).toISOString(),
    informed: status.informed,
    consentDate: status.consentDate,
    file: status.file,
    intakeDate: status.intakeDate,
    acceptedDate: status.acceptedDate,
    endReason: status.endReason,
    finishedAt: status.finishedAt === null ? null : new Date(status.finishedAt).toISOString(),
    erased: status.erased,
    streamVersion: status.streamVersion,
  };
}

export class BulkResultResponse {
  @ApiProperty({ pattern: PSEUDONYM_PATTERN.source }) pseudonym: string;

  @ApiProperty({
    type: 'integer',
    enum: [...BULK_STATUSES],
    description: 'What this client got, as the single command would answer: 200 done; 400, 403, 404, 409 refused (nothing recorded); 503 not done in time',
  })
  status: BulkStatus;

  @ApiPropertyOptional({ description: 'Why, for anything but 200' }) message?: string;
}

export class BulkCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) done: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Refused or not done in time' }) refused: number;
}

export class BulkResponse {
  @ApiProperty({ type: () => [BulkResultResponse], description: 'One per pseudonym, in the order sent' }) results: BulkResultResponse[];
  @ApiProperty({ type: () => BulkCountsResponse }) counts: BulkCountsResponse;
}
