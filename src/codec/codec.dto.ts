import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, registerDecorator, ValidateNested } from 'class-validator';
import type { JsonPayload } from './payload-json';

/** Payloads in one request at most: a workflow history page holds far fewer. */
export const MAX_PAYLOADS = 1_000;
/** Metadata entries of one payload at most (Temporal sets two or three). */
export const MAX_METADATA_ENTRIES = 32;

/** Standard or URL-safe base64, padded or not (protobuf JSON reads both). */
export const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const METADATA_KEY = /^[\x21-\x7e]{1,128}$/;

const METADATA_RULE =
  `must be an object of at most ${MAX_METADATA_ENTRIES} entries, each key 1 to 128 visible ASCII characters ` +
  'and each value a base64 string';

/** A payload's metadata: a plain object of base64 strings under short keys. */
function IsBase64Metadata() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBase64Metadata',
      target: target.constructor,
      propertyName,
      options: { message: `$property ${METADATA_RULE}` },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_METADATA_ENTRIES &&
            entries.every(([key, entry]) => METADATA_KEY.test(key) && typeof entry === 'string' && BASE64.test(entry))
          );
        },
      },
    });
}

const METADATA_SCHEMA = {
  type: 'object',
  maxProperties: MAX_METADATA_ENTRIES,
  additionalProperties: { type: 'string', format: 'byte' },
  description: 'Protobuf JSON of the payload metadata: each value base64',
  example: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' },
} as const;

/** One `temporal.api.common.v1.Payload` as protobuf JSON. */
export class JsonPayloadDto implements JsonPayload {
  @ApiPropertyOptional(METADATA_SCHEMA)
  @IsOptional()
  @IsBase64Metadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'string', format: 'byte', description: 'The payload bytes, base64' })
  @IsOptional()
  @IsString()
  @Matches(BASE64, { message: 'data must be a base64 string' })
  data?: string;
}

/** The codec-server convention's body, both ways: `{ payloads: [...] }`. */
export class PayloadsDto {
  @ApiProperty({ type: [JsonPayloadDto], maxItems: MAX_PAYLOADS })
  @IsArray()
  @ArrayMaxSize(MAX_PAYLOADS)
  @ValidateNested({ each: true })
  @Type(() => JsonPayloadDto)
  payloads: JsonPayloadDto[];
}
