import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches, MaxLength, Validate } from 'class-validator';
import { CODE, codeMessage } from '../../organisations/codes';
import {
  CODE_MAX_LENGTH,
  DATE_PATTERN,
  exampleGoLiveDate,
  IsFutureAmsterdamDate,
  IsWithinGoLiveHorizon,
  MAX_GO_LIVE_YEARS_AHEAD,
  ProvidersFitTemplate,
} from './transition-validators';

export const TEMPLATE_CODES = ['provider-change', 'continuation'] as const;

/** What the document says of an organisation's or district's code. */
const code = (example: string, description: string) =>
  ApiProperty({ example, description, pattern: CODE.source, maxLength: CODE_MAX_LENGTH });

export class CreateTransitionDto {
  @code('rotterdam', 'Code of the commissioning municipality (the one you coordinate for): lowercase letters, digits and single hyphens')
  @Matches(CODE, { message: codeMessage('municipality') })
  @MaxLength(CODE_MAX_LENGTH)
  municipality: string;

  @code('feijenoord', 'Code of a district (gebied / stadsdeel) of the municipality')
  @Matches(CODE, { message: codeMessage('district') })
  @MaxLength(CODE_MAX_LENGTH)
  district: string;

  @code('welzijn-maas', 'Code of the outgoing provider')
  @Matches(CODE, { message: codeMessage('outgoingProvider') })
  @MaxLength(CODE_MAX_LENGTH)
  outgoingProvider: string;

  @code('buurtkracht', 'Code of the incoming provider: another provider for a provider change, the same one for a continuation')
  @Matches(CODE, { message: codeMessage('incomingProvider') })
  @MaxLength(CODE_MAX_LENGTH)
  @Validate(ProvidersFitTemplate)
  incomingProvider: string;

  @ApiProperty({
    format: 'date',
    pattern: DATE_PATTERN.source,
    example: exampleGoLiveDate,
    description: `Go-live date (startdatum), YYYY-MM-DD, Europe/Amsterdam: after today, at most ${MAX_GO_LIVE_YEARS_AHEAD} years ahead`,
  })
  @Matches(DATE_PATTERN, { message: 'goLiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'goLiveDate must be a real calendar date' })
  @Validate(IsFutureAmsterdamDate)
  @Validate(IsWithinGoLiveHorizon)
  goLiveDate: string;

  @ApiPropertyOptional({ enum: TEMPLATE_CODES, default: 'provider-change', description: 'Plan template (latest version)' })
  @IsOptional()
  @IsIn(TEMPLATE_CODES, { message: `template must be one of ${TEMPLATE_CODES.join(', ')}` })
  template?: (typeof TEMPLATE_CODES)[number];
}
