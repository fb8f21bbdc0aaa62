import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { amsterdamToday } from '../../time/amsterdam';
import { addDays, addYears } from '../../time/calendar';
import { TRANSITION_ID_PROPERTY } from '../../transitions/dto/transition-commands.dto';
import { DATE_PATTERN, TRANSITION_ID_MAX_LENGTH } from '../../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../../transitions/transition-id';
import { ACCEPTABLE_TEXT_PATTERN } from '../../validation/control-characters.pipe';
import { END_REASONS, EndReason, INFORM_CHANNELS, InformChannel, PSEUDONYM_PATTERN } from '../client.events';

/** How far back a provider may date what it did, and how far ahead an intake may lie (as the transfer's workflow rules). */
export const MAX_YEARS_BACK = 2;
export const MAX_INTAKE_YEARS_AHEAD = 1;

export const PSEUDONYM_RULE = 'pseudonym must be a client pseudonym: 20 lowercase hex characters';
export const PSEUDONYM_PROPERTY = {
  description: 'The client, pseudonymously (20 lowercase hex characters)',
  pattern: PSEUDONYM_PATTERN.source,
  maxLength: 20,
  example: '3f9a0c4b7d21e8a65b10',
} as const;

const realDate = (field: string) => [
  Matches(DATE_PATTERN, { message: `${field} must be a date as YYYY-MM-DD` }),
  IsISO8601({ strict: true }, { message: `${field} must be a real calendar date` }),
];

/** A day that happened: today (Europe/Amsterdam) or up to MAX_YEARS_BACK years before. */
@ValidatorConstraint({ name: 'isRecentDay' })
export class IsRecentDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return true; // the pattern names that
    const today = amsterdamToday();
    return value <= today && value >= addYears(today, -MAX_YEARS_BACK);
  }

  defaultMessage(args: ValidationArguments): string {
    const today = amsterdamToday();
    return `${args.property} must be a day from ${addYears(today, -MAX_YEARS_BACK)} to today (${today}, Europe/Amsterdam)`;
  }
}

/** An intake's day: from MAX_YEARS_BACK years ago up to MAX_INTAKE_YEARS_AHEAD year ahead (and not before consent: the workflow checks). */
@ValidatorConstraint({ name: 'isIntakeDay' })
export class IsIntakeDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return true;
    const today = amsterdamToday();
    return value >= addYears(today, -MAX_YEARS_BACK) && value <= addYears(today, MAX_INTAKE_YEARS_AHEAD);
  }

  defaultMessage(args: ValidationArguments): string {
    const today = amsterdamToday();
    return `${args.property} must be a day from ${addYears(today, -MAX_YEARS_BACK)} to ${addYears(today, MAX_INTAKE_YEARS_AHEAD)} (Europe/Amsterdam)`;
  }
}

const recentDay = (description: string) => (target: object, property: string) => {
  ApiProperty({ format: 'date', pattern: DATE_PATTERN.source, example: addDays(amsterdamToday(), -1), description: `${description}: YYYY-MM-DD, today or up to ${MAX_YEARS_BACK} years before` })(target, property);
  for (const rule of [...realDate(property), Validate(IsRecentDay)]) rule(target, property);
};

export class PseudonymParam {
  @ApiProperty(PSEUDONYM_PROPERTY)
  @MaxLength(20, { message: PSEUDONYM_RULE })
  @Matches(PSEUDONYM_PATTERN, { message: PSEUDONYM_RULE })
  pseudonym: string;
}

export class HandoverParam {
  @ApiProperty(TRANSITION_ID_PROPERTY)
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;
}

export class InformClientDto {
  @recentDay('The day the client was informed about the transfer (and asked for consent)')
  date: string;

  @ApiProperty({ enum: INFORM_CHANNELS, description: 'How the client was informed' })
  @IsIn(INFORM_CHANNELS, { message: `channel must be one of ${INFORM_CHANNELS.join(', ')}` })
  channel: InformChannel;
}

export class RecordConsentDto {
  @ApiProperty({ description: 'true: the client consents to the transfer; false: refused (the transfer is declined and finished)' })
  @IsBoolean({ message: 'given must be true or false' })
  given: boolean;

  @recentDay("The day of the client's answer, not before the day they were informed")
  date: string;
}

export class PlanIntakeDto {
  @ApiProperty({
    format: 'date',
    pattern: DATE_PATTERN.source,
    example: addDays(amsterdamToday(), 7),
    description: `The intake's day: YYYY-MM-DD, not before consent, at most ${MAX_INTAKE_YEARS_AHEAD} year ahead`,
  })
  @Matches(DATE_PATTERN, { message: 'date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  @Validate(IsIntakeDay)
  date: string;
}

export class AcceptTransferDto {
  @recentDay('The day the incoming provider took the client on, not before consent')
  date: string;
}

export class EndTransferDto {
  @ApiProperty({ enum: END_REASONS, description: 'Why the transfer ends before it is accepted' })
  @IsIn(END_REASONS, { message: `reason must be one of ${END_REASONS.join(', ')}` })
  reason: EndReason;
}

export const ERASE_REASON_MIN = 10;
export const ERASE_REASON_MAX = 500;

export class ErasePersonalDataDto {
  @ApiProperty({
    minLength: ERASE_REASON_MIN,
    maxLength: ERASE_REASON_MAX,
    pattern: ACCEPTABLE_TEXT_PATTERN.source,
    example: 'Request of the client by letter, our reference 2027-114',
    description:
      'Why, for your own records: required, so an erasure is never a slip, but kept nowhere by this service and never in the ' +
      "audit trail (its event says 'request'). Write no names or other details of the client",
  })
  @IsString({ message: 'reason must be text' })
  @MinLength(ERASE_REASON_MIN, { message: `reason must say why (${ERASE_REASON_MIN} characters or more)` })
  @MaxLength(ERASE_REASON_MAX, { message: `reason must be shorter than or equal to ${ERASE_REASON_MAX} characters` })
  reason: string;
}

export const BULK_MAX = 1000;

/** The clients of a bulk command: each gets the command on its own. */
const pseudonyms = () => (target: object, property: string) => {
  ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: PSEUDONYM_PATTERN.source, maxLength: 20 },
    minItems: 1,
    maxItems: BULK_MAX,
    uniqueItems: true,
    description: `The clients (1 to ${BULK_MAX}, each once), all of this handover`,
  })(target, property);
  for (const rule of [
    IsArray({ message: 'pseudonyms must be a list of pseudonyms' }),
    ArrayMinSize(1, { message: 'pseudonyms must name at least one client' }),
    ArrayMaxSize(BULK_MAX, { message: `pseudonyms must name at most ${BULK_MAX} clients` }),
    ArrayUnique({ message: 'pseudonyms must name each client once' }),
    IsString({ each: true, message: 'each of pseudonyms must be a client pseudonym: 20 lowercase hex characters' }),
    MaxLength(20, { each: true, message: 'each of pseudonyms must be a client pseudonym: 20 lowercase hex characters' }),
    Matches(PSEUDONYM_PATTERN, { each: true, message: 'each of pseudonyms must be a client pseudonym: 20 lowercase hex characters' }),
  ]) {
    rule(target, property);
  }
};

export class BulkInformClientDto extends InformClientDto {
  @pseudonyms() pseudonyms: string[];
}

export class BulkRecordConsentDto extends RecordConsentDto {
  @pseudonyms() pseudonyms: string[];
}

export class BulkPlanIntakeDto extends PlanIntakeDto {
  @pseudonyms() pseudonyms: string[];
}

export class BulkAcceptTransferDto extends AcceptTransferDto {
  @pseudonyms() pseudonyms: string[];
}

export class BulkEndTransferDto extends EndTransferDto {
  @pseudonyms() pseudonyms: string[];
}
