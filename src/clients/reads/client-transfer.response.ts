import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { DATE_PATTERN } from '../../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../../transitions/transition-id';
import { END_REASONS, INFORM_CHANNELS, PSEUDONYM_PATTERN, TARGET_GROUPS, TransferStep } from '../client.events';
import { MOVERS, NEXT_ACTIONS } from '../next-step';

export const TRANSFER_STEPS: readonly TransferStep[] = [
  'listed', 'informed', 'consent-given', 'file-transferred', 'intake-planned', 'accepted', 'declined', 'ended',
];
export const TRANSFER_ROLES = ['outgoing', 'incoming', 'outgoing-and-incoming'] as const;

const date = (description: string) =>
  ApiProperty({ type: String, format: 'date', pattern: DATE_PATTERN.source, nullable: true, description });
const pseudonym = () => ApiProperty({ pattern: PSEUDONYM_PATTERN.source, example: '3f9a0c4b7d21e8a65b10', description: 'The client, pseudonymously' });

/** A client's personal data (see src/clients/client-personal-data.ts for why each field is kept). */
export class PersonalDataResponse {
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ format: 'date', pattern: DATE_PATTERN.source }) birthDate: string;
  @ApiProperty() street: string;
  @ApiProperty() houseNumber: string;
  @ApiProperty({ example: '3072 AB' }) postcode: string;
  @ApiProperty() city: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the incoming provider must know to continue support' }) note: string | null;
}

/** When each step was reached (dates as the providers gave them; instants as recorded). */
export class TransferDatesResponse {
  @ApiProperty({ format: 'date-time' }) listedAt: string;
  @date('The day the client was informed') informedOn: string | null;
  @ApiProperty({ enum: INFORM_CHANNELS, nullable: true }) informChannel: string | null;
  @date("The day of the client's answer: consent given, or refused (step declined)") consentOn: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fileTransferredAt: string | null;
  @date('The day of the intake') intakeOn: string | null;
  @date('The day the incoming provider accepted the transfer') acceptedOn: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class TransferFileResponse {
  @ApiProperty({ enum: ['application/pdf', 'application/zip'] }) mediaType: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) bytes: number;
}

export class NextStepResponse {
  @ApiProperty({ enum: NEXT_ACTIONS, description: 'What the transfer needs next' }) action: string;
  @ApiProperty({ enum: MOVERS, description: 'Whose move it is' }) by: string;
  @ApiProperty({ description: 'Whether it is your move' }) yourMove: boolean;
}

/**
 * One client's transfer as the caller may see it. Everyone who may see it at all gets the codes
 * (pseudonym, handover, target group, step). The providers get the dates, the next step and the
 * file's type and size; the outgoing provider the personal data, the incoming one only once the
 * client has consented. Coordinators never see personal data (nor dates).
 */
@ApiExtraModels(PersonalDataResponse)
export class ClientTransferResponse {
  @pseudonym() pseudonym: string;

  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: 'rotterdam.feijenoord.2027-06-01' }) transitionId: string;

  @ApiProperty({ enum: TARGET_GROUPS }) targetGroup: string;

  @ApiProperty({ enum: TRANSFER_STEPS }) step: string;

  @ApiProperty({ description: 'Accepted, declined or ended' }) finished: boolean;

  @ApiProperty({ description: "The step waits for a provider past its policy's business days (see GET /me/clients)" }) stalled: boolean;

  @ApiPropertyOptional({ enum: TRANSFER_ROLES, description: 'Providers: your side of the transfer' }) role?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Providers: when the current step was reached' }) stepSince?: string;

  @ApiPropertyOptional({ type: () => TransferDatesResponse, description: 'Providers' }) dates?: TransferDatesResponse;

  @ApiPropertyOptional({ type: () => NextStepResponse, nullable: true, description: 'Providers: what it needs next; null once finished' })
  next?: NextStepResponse | null;

  @ApiPropertyOptional({ description: "Providers: the client's personal data and file are erased (crypto-shredded)" }) erased?: boolean;

  @ApiPropertyOptional({
    enum: END_REASONS,
    nullable: true,
    description: 'The outgoing provider; the incoming one once the client has consented',
  })
  endReason?: string | null;

  @ApiPropertyOptional({
    type: () => TransferFileResponse,
    nullable: true,
    description: 'The outgoing provider; the incoming one once the client has consented',
  })
  file?: TransferFileResponse | null;

  @ApiPropertyOptional({
    oneOf: [{ $ref: getSchemaPath(PersonalDataResponse) }, { type: 'string', enum: ['erased'] }],
    description: 'The outgoing provider; the incoming one once the client has consented; "erased" once erased. Left out for anyone else',
  })
  personalData?: PersonalDataResponse | 'erased';
}

export class ClientTransferPageResponse {
  @ApiProperty({ type: () => [ClientTransferResponse], description: 'By pseudonym' }) items: ClientTransferResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: PSEUDONYM_PATTERN.source,
    description: 'Pass as `cursor` for the next page; null on the last one',
  })
  nextCursor: string | null;
}

/** A count per step, every step named. */
export class StepCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) listed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) informed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) 'consent-given': number;
  @ApiProperty({ type: 'integer', minimum: 0 }) 'file-transferred': number;
  @ApiProperty({ type: 'integer', minimum: 0 }) 'intake-planned': number;
  @ApiProperty({ type: 'integer', minimum: 0 }) accepted: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) declined: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) ended: number;
}

/** A count per target group, every group named. */
export class TargetGroupCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) jeugd: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) ouderen: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) 'kwetsbare-bewoners': number;
  @ApiProperty({ type: 'integer', minimum: 0 }) overig: number;
}

/** Per step, the counts per target group. */
export class StepByTargetGroupResponse {
  @ApiProperty({ type: () => TargetGroupCountsResponse }) listed: TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) informed: TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) 'consent-given': TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) 'file-transferred': TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) 'intake-planned': TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) accepted: TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) declined: TargetGroupCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) ended: TargetGroupCountsResponse;
}

/** `GET /transitions/{transitionId}/clients/counts`: counts only, never a pseudonym. */
export class ClientCountsResponse {
  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: 'rotterdam.feijenoord.2027-06-01' }) transitionId: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Accepted, declined or ended' }) finished: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, description: 'finished / total; 0 without clients' }) shareDone: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Transfers stalled in a step (see GET /me/clients)' }) stalled: number;
  @ApiProperty({ type: () => StepCountsResponse }) byStep: StepCountsResponse;
  @ApiProperty({ type: () => TargetGroupCountsResponse }) byTargetGroup: TargetGroupCountsResponse;
  @ApiProperty({ type: () => StepByTargetGroupResponse }) byStepAndTargetGroup: StepByTargetGroupResponse;
}
