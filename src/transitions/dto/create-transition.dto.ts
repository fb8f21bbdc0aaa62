import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches, MaxLength, Validate } from 'class-validator';
import { CODE, codeMessage } from '../../organisations/codes';
import { CODE_MAX_LENGTH, IsFutureAmsterdamDate, IsWithinGoLiveHorizon, MAX_GO_LIVE_YEARS_AHEAD, ProvidersFitTemplate } from './transition-validators';

export const TEMPLATE_CODES = ['provider-change', 'continuation'] as const;


export class CreateTransitionDto {
  @ApiProperty({ example: 'rotterdam', description: 'Code of the commissioning municipality' })
  @Matches(CODE, { message: codeMessage('municipality') })
  @MaxLength(CODE_MAX_LENGTH)
  municipality: string;

  @ApiProperty({ example: 'feijenoord', description: 'Code of the district (gebied / stadsdeel)' })
  @Matches(CODE, { message: codeMessage('district') })
  @MaxLength(CODE_MAX_LENGTH)
  district: string;

  @ApiProperty({ example: 'welzijn-maas', description: 'Code of the outgoing provider' })
  @Matches(CODE, { message: codeMessage('outgoingProvider') })
  @MaxLength(CODE_MAX_LENGTH)
  outgoingProvider: string;

  @ApiProperty({ example: 'buurtkracht', description: 'Code of the incoming provider' })
  @Matches(CODE, { message: codeMessage('incomingProvider') })
  @MaxLength(CODE_MAX_LENGTH)
  @Validate(ProvidersFitTemplate)
  incomingProvider: string;

  @ApiProperty({
    example: '2027-06-01',
    description: `Go-live date (startdatum), Europe/Amsterdam: after today, at most ${MAX_GO_LIVE_YEARS_AHEAD} years ahead`,
  })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'goLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'goLiveDate must be a real calendar date' })
  @Validate(IsFutureAmsterdamDate)
  @Validate(IsWithinGoLiveHorizon)
  goLiveDate: string;

  @ApiPropertyOptional({ enum: TEMPLATE_CODES, default: 'provider-change', description: 'Plan template (latest version)' })
  @IsOptional()
  @IsIn(TEMPLATE_CODES, { message: `template must be one of ${TEMPLATE_CODES.join(', ')}` })
  template?: (typeof TEMPLATE_CODES)[number];
}
