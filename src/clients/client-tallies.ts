import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { TransferStep } from './client.events';
import { StepCountsResponse, TRANSFER_STEPS } from './reads/client-transfer.response';

/** A handover's client transfers in brief, as its detail and the list of handovers show them. */
export interface ClientTally {
  total: number;
  finished: number;
  /** finished / total, 0..1; 0 without clients. */
  shareDone: number;
  byStep: Record<TransferStep, number>;
}

export class ClientTallyResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Clients listed for transfer' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Accepted, declined or ended' }) finished: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, description: 'finished / total; 0 without clients' }) shareDone: number;
  @ApiProperty({ type: () => StepCountsResponse }) byStep: StepCountsResponse;
}

export class ClientTallyDetailResponse extends ClientTallyResponse {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Client imports of this handover still starting their transfers' })
  runningImports?: string[];
}

export const zeroPerStep = (): Record<TransferStep, number> =>
  Object.fromEntries(TRANSFER_STEPS.map((step) => [step, 0])) as Record<TransferStep, number>;

export const shareOf = (finished: number, total: number) => (total === 0 ? 0 : finished / total);

/**
 * The client tallies of these handovers from the read model, in one grouped query (a handover
 * without clients gets zeros).
 */
export async function clientTallies(dataSource: DataSource, transitionIds: readonly string[]): Promise<Map<string, ClientTally>> {
  const tallies = new Map<string, ClientTally>(
    transitionIds.map((id) => [id, { total: 0, finished: 0, shareDone: 0, byStep: zeroPerStep() }]),
  );
  if (transitionIds.length === 0) return tallies;
  const rows: Array<{ transitionId: string; step: TransferStep; n: number; finished: number }> = await dataSource.query(
    `SELECT transition_id AS "transitionId", step, count(*)::int AS n, count(*) FILTER (WHERE finished)::int AS finished
     FROM client_transfers WHERE transition_id = ANY ($1::text[])
     GROUP BY transition_id, step`,
    [transitionIds],
  );
  for (const row of rows) {
    const tally = tallies.get(row.transitionId)!;
    tally.byStep[row.step] = row.n;
    tally.total += row.n;
    tally.finished += row.finished;
  }
  for (const tally of tallies.values()) tally.shareDone = shareOf(tally.finished, tally.total);
  return tallies;
}
