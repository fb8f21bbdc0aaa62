import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ACCEPTABLE_TEXT_PATTERN } from '../validation/control-characters.pipe';
import { DATE_PATTERN, TRANSITION_ID_MAX_LENGTH } from '../transitions/dto/transition-validators';
import { TRANSITION_ID_PROPERTY } from '../transitions/dto/transition-commands.dto';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';

const NAME_MAX = 120;
const SENTENCE_MAX = 300;
const POINTS_MAX = 10;
/** Free text the service takes: no control characters but tab, line feed and CR LF (the global pipe's rule). */
const TEXT = { pattern: ACCEPTABLE_TEXT_PATTERN.source } as const;

export class OrganisationContactDto {
  @ApiProperty({ ...TEXT, minLength: 1, maxLength: NAME_MAX, example: 'Welzijn Zuid' })
  @IsString({ message: 'name must be text' })
  @MinLength(1)
  @MaxLength(NAME_MAX)
  name: string;

  @ApiProperty({ pattern: '^[0-9 +()-]{6,20}$', example: '010 123 45 67' })
  @IsString({ message: 'phone must be text' })
  @Matches(/^[0-9 +()-]{6,20}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) -)' })
  phone: string;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'info@welzijnzuid.example' })
  @IsString({ message: 'email must be text' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty({ format: 'uri', maxLength: 200, example: 'https://welzijnzuid.example' })
  @IsString({ message: 'website must be text' })
  @MaxLength(200)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'website must be an http(s) address' })
  website: string;
}

export class SignatoryDto {
  @ApiProperty({ ...TEXT, minLength: 1, maxLength: NAME_MAX, example: 'J. de Vries' })
  @IsString({ message: 'name must be text' })
  @MinLength(1)
  @MaxLength(NAME_MAX)
  name: string;

  @ApiProperty({ ...TEXT, minLength: 1, maxLength: NAME_MAX, example: 'directeur' })
  @IsString({ message: 'role must be text' })
  @MinLength(1)
  @MaxLength(NAME_MAX)
  role: string;
}

export class SignaturesDto {
  @ApiProperty({ type: SignatoryDto }) @IsObject() @ValidateNested() @Type(() => SignatoryDto) outgoing: SignatoryDto;
  @ApiProperty({ type: SignatoryDto }) @IsObject() @ValidateNested() @Type(() => SignatoryDto) incoming: SignatoryDto;
  @ApiProperty({ type: SignatoryDto }) @IsObject() @ValidateNested() @Type(() => SignatoryDto) municipality: SignatoryDto;
}

export class MunicipalityContactDto {
  @ApiProperty({ ...TEXT, minLength: 1, maxLength: NAME_MAX, example: 'Gemeente Rotterdam' })
  @IsString({ message: 'name must be text' })
  @MinLength(1)
  @MaxLength(NAME_MAX)
  name: string;

  @ApiProperty({ type: OrganisationContactDto }) @IsObject() @ValidateNested() @Type(() => OrganisationContactDto) contact: OrganisationContactDto;
}

const POINTS = { type: 'array', minItems: 1, maxItems: POINTS_MAX, items: { type: 'string', ...TEXT, minLength: 1, maxLength: SENTENCE_MAX } } as const;

/** What the letter and e-mail say, apart from the district and the go-live date, which the handover gives. */
export class CampaignFieldsDto {
  @ApiProperty({ type: MunicipalityContactDto }) @IsObject() @ValidateNested() @Type(() => MunicipalityContactDto) municipality: MunicipalityContactDto;
  @ApiProperty({ type: OrganisationContactDto }) @IsObject() @ValidateNested() @Type(() => OrganisationContactDto) outgoing: OrganisationContactDto;
  @ApiProperty({ type: OrganisationContactDto }) @IsObject() @ValidateNested() @Type(() => OrganisationContactDto) incoming: OrganisationContactDto;

  @ApiProperty({ ...POINTS, description: 'What changes for residents, one short sentence each (B1)', example: ['U krijgt een nieuw aanspreekpunt.'] })
  @IsArray({ message: 'whatChanges must be a list of sentences' })
  @ArrayMinSize(1)
  @ArrayMaxSize(POINTS_MAX)
  @IsString({ each: true, message: 'whatChanges must hold text' })
  @MinLength(1, { each: true })
  @MaxLength(SENTENCE_MAX, { each: true })
  whatChanges: string[];

  @ApiProperty({ ...POINTS, description: 'What stays the same, one short sentence each (B1)', example: ['De activiteiten in het buurthuis gaan door.'] })
  @IsArray({ message: 'whatStays must be a list of sentences' })
  @ArrayMinSize(1)
  @ArrayMaxSize(POINTS_MAX)
  @IsString({ each: true, message: 'whatStays must hold text' })
  @MinLength(1, { each: true })
  @MaxLength(SENTENCE_MAX, { each: true })
  whatStays: string[];

  @ApiProperty({ ...TEXT, minLength: 1, maxLength: SENTENCE_MAX, example: 'Bel of mail Welzijn Zuid, of loop binnen bij het buurthuis.' })
  @IsString({ message: 'whereToAsk must be text' })
  @MinLength(1)
  @MaxLength(SENTENCE_MAX)
  whereToAsk: string;

  @ApiProperty({ type: SignaturesDto }) @IsObject() @ValidateNested() @Type(() => SignaturesDto) signatures: SignaturesDto;
}

export class CreateCampaignDto {
  @ApiProperty({ type: CampaignFieldsDto }) @IsObject() @ValidateNested() @Type(() => CampaignFieldsDto) fields: CampaignFieldsDto;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, on or before go-live; default 10 Dutch business days before go-live', format: 'date', pattern: DATE_PATTERN.source })
  @IsOptional()
  @IsString({ message: 'deadline must be text' })
  @Matches(DATE_PATTERN, { message: 'deadline must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'deadline must be a real calendar date' })
  deadline?: string;
}

export class EditCampaignDto {
  @ApiPropertyOptional({ type: CampaignFieldsDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CampaignFieldsDto) fields?: CampaignFieldsDto;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, on or before go-live', format: 'date', pattern: DATE_PATTERN.source })
  @IsOptional()
  @IsString({ message: 'deadline must be text' })
  @Matches(DATE_PATTERN, { message: 'deadline must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'deadline must be a real calendar date' })
  deadline?: string;
}

export class ApproveCampaignDto {
  @ApiProperty({ description: 'The campaign version you read (`version` of its progress): an edit since makes the approval stale (409)', type: 'integer', minimum: 1, maximum: 1_000_000, example: 1 })
  @IsInt({ message: 'expectedVersion must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  expectedVersion: number;
}

export class CampaignParams {
  @ApiProperty(TRANSITION_ID_PROPERTY)
  @Matches(TRANSITION_ID_PATTERN, { message: 'transitionId must look like municipality.district.YYYY-MM-DD' })
  @MaxLength(TRANSITION_ID_MAX_LENGTH)
  transitionId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'campaignId must be a UUID' })
  campaignId: string;
}

export class LetterBatchParams extends CampaignParams {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000 })
  @Type(() => Number)
  @IsInt({ message: 'batchNo must be a whole number' })
  @Min(1)
  @Max(100_000)
  batchNo: number;
}
