import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransferStep } from '../../../clients/client.events';
import { BULK_MAX } from '../../../clients/transfers/transfer-commands.dto';

/** Which transfers a bulk action takes: a handover's unfinished ones at one step, on the caller's side of it. */
export interface WaitingAt {
  transitionId: string;
  step: TransferStep;
  side: 'outgoing' | 'incoming';
  /** The organisations the caller acts for. */
  organisations: string[];
}

const WHERE = (side: WaitingAt['side']) =>
  `transition_id = $1 AND step = $2 AND NOT finished AND ${side === 'outgoing' ? 'outgoing_provider' : 'incoming_provider'} = ANY ($3::text[])`;

/** The client transfers a bulk action of the inbox applies to, from the client_transfers read model: counts and pseudonyms only. */
@Injectable()
export class WaitingTransfers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(at: WaitingAt): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM client_transfers WHERE ${WHERE(at.side)}`, [
      at.transitionId, at.step, at.organisations,
    ]);
    return row.n;
  }

  /** Up to one bulk request's worth (BULK_MAX), in a stable order: a second run takes the rest. */
  async pseudonyms(at: WaitingAt): Promise<string[]> {
    const rows: Array<{ pseudonym: string }> = await this.dataSource.query(
      `SELECT pseudonym FROM client_transfers WHERE ${WHERE(at.side)} ORDER BY pseudonym LIMIT $4`,
      [at.transitionId, at.step, at.organisations, BULK_MAX],
    );
    return rows.map((row) => row.pseudonym);
  }
}
