import type { Payload } from '@temporalio/common';

/**
 * A payload as the codec-server convention carries it: protobuf JSON of `temporal.api.common.v1.Payload`,
 * so every metadata value and the data are base64.
 */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}
