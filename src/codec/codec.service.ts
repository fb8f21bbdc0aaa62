import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { DataConverter, Payload } from '@temporalio/common';
import type { AuthenticatedUser } from '../auth/auth.types';
import { EventStore } from '../events/event-store.service';
import { TEMPORAL_DATA_CONVERTER } from '../temporal/temporal.tokens';
import { decodeAuditStream, payloadsDecoded } from './decode-audit';
import { fromJson, JsonPayload, toJson } from './payload-json';

export const UNDECODABLE = "could not be decoded with this service's key: another key, or changed on the way";

/**
 * Decodes payloads with the codecs the service's Temporal client encodes with, for an operator,
 * and records that it did before any decoded byte leaves: no record, no answer.
 */
@Injectable()
export class CodecService {
  constructor(
    @Inject(TEMPORAL_DATA_CONVERTER) private readonly dataConverter: DataConverter,
    private readonly eventStore: EventStore,
  ) {}

  async decode(payloads: JsonPayload[], user: AuthenticatedUser, namespace: string, correlationId: string): Promise<JsonPayload[]> {
    const decoded = await Promise.all(payloads.map((payload, index) => this.decodeOne(fromJson(payload), index)));
    const event = payloadsDecoded(user, namespace, payloads.length, correlationId);
    await this.eventStore.append(decodeAuditStream(new Date()), [event]);
    return decoded.map(toJson);
  }

  /** Each payload alone, so a refusal names it; the codecs run in reverse of their encoding order. */
  private async decodeOne(payload: Payload, index: number): Promise<Payload> {
    let current = payload;
    try {
      for (const codec of [...(this.dataConverter.payloadCodecs ?? [])].reverse()) [current] = await codec.decode([current]);
    } catch {
      throw new BadRequestException([`payloads.${index} ${UNDECODABLE}`]);
    }
    return current;
  }
}
