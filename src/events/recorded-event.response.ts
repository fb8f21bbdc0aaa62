import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Who caused a change: a person (with organisation and role) or the system itself. */
export class ActorResponse {
  @ApiProperty({ example: 'coordinator-rotterdam', description: 'User name, or `system` for what the workflow does by itself' })
  user: string;

  @ApiProperty({ type: String, nullable: true, example: 'rotterdam', description: 'Code of the organisation acted for; null for the system' })
  organisation: string | null;

  @ApiProperty({ example: 'coordinator', description: 'coordinator, provider, auditor or system' })
  role: string;
}

export class EventMetadataResponse {
  @ApiProperty({ type: () => ActorResponse })
  actor: ActorResponse;

  @ApiProperty({ format: 'uuid', description: "The caller's X-Correlation-Id, or one made for the request" })
  correlationId: string;

  @ApiProperty({ type: String, nullable: true, description: 'The event or command that caused this one' })
  causationId: string | null;

  @ApiPropertyOptional({ example: 'rotterdam.feijenoord.2027-06-01' })
  workflowId?: string;

  @ApiPropertyOptional()
  runId?: string;
}

const SHA256_HEX = '^[0-9a-f]{64}$';

/** One event of the audit trail as stored, with its place in the hash chain. */
export class RecordedEventResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position among all events of all streams' })
  globalPosition: number;

  @ApiProperty({ description: 'Deterministic per workflow run and place in the stream, so a retry writes nothing twice' })
  eventId: string;

  @ApiProperty({ example: 'rotterdam.feijenoord.2027-06-01', description: 'The stream: a transition id' })
  streamId: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Version within the stream, from 1 without gaps' })
  streamVersion: number;

  @ApiProperty({ example: 'TaskCompleted' })
  type: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  schemaVersion: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's facts: codes, dates, notes; never about a resident" })
  data: Record<string, unknown>;

  @ApiProperty({ type: () => EventMetadataResponse })
  metadata: EventMetadataResponse;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ type: String, nullable: true, pattern: SHA256_HEX, description: "The stream's previous event's hash; null for the first" })
  previousHash: string | null;

  @ApiProperty({ pattern: SHA256_HEX, description: 'SHA-256 over the previous hash, the version and the canonical event' })
  hash: string;
}
