import { HttpException, Injectable, Logger } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/client';
import type { TransferStatus } from '../../../workflows/client-transfer/definitions';
import type { CommandActor } from '../../../workflows/transition/definitions';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { extendRequestDeadline } from '../../http/request-lifecycle';
import { COMMAND_DEADLINE_MS, COMMAND_START_WITHIN_MS } from '../../temporal/within-deadline';
import { CommandSide, TransferAccess, TransferRow } from '../transfer-access';
import { TransferCommandsService } from './transfer-commands.service';

export const BULK_STATUSES = [200, 400, 403, 404, 409, 503] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];

/** Commands in flight at once within one bulk request. */
export const BULK_CONCURRENCY = 32;
/**
 * The whole request's deadline: 1,000 clients at 32 at a time take a few seconds when the
 * workflows answer in tens of milliseconds; a client not sent by then gets 503 in its result,
 * with nothing recorded for it.
 */
export const BULK_DEADLINE_MS = 60_000;
/** A command is sent only with at least this much of the request's deadline left. */
const LEAST_TIME_MS = 1_000;

export interface BulkResult {
  pseudonym: string;
  status: BulkStatus;
  message?: string;
}

export interface BulkOutcome {
  results: BulkResult[];
  counts: { done: number; refused: number };
}

export const NOT_IN_HANDOVER = 'the client is not in this handover';
export const BULK_DEADLINE_PASSED = `not sent: the request's deadline (${BULK_DEADLINE_MS / 1000} s) passed first; nothing was recorded for this client`;

/**
 * One command for many clients of one handover, each client on its own: the read model decides
 * 404 (not in this handover) and 403 (not your transfer) up front, the rest go to their workflows
 * BULK_CONCURRENCY at a time, each answered as the single command would be.
 */
@Injectable()
export class BulkTransferCommands {
  private readonly logger = new Logger(BulkTransferCommands.name);

  constructor(
    private readonly access: TransferAccess,
    private readonly commands: TransferCommandsService,
  ) {}

  async run<Command extends CommandActor>(
    transitionId: string,
    pseudonyms: readonly string[],
    user: AuthenticatedUser,
    side: CommandSide,
    update: UpdateDefinition<TransferStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
  ): Promise<BulkOutcome> {
    const deadline = Date.now() + BULK_DEADLINE_MS;
    // The request's own deadline (REQUEST_DEADLINE_MS) would cut the bulk short: it has its own.
    extendRequestDeadline(BULK_DEADLINE_MS + 1_000);
    const transfers = await this.access.findIn(transitionId, pseudonyms);
    const results: BulkResult[] = new Array(pseudonyms.length);
    const toSend: Array<{ index: number; transfer: TransferRow }> = [];
    pseudonyms.forEach((pseudonym, index) => {
      const transfer = transfers.get(pseudonym);
      if (!transfer) {
        results[index] = { pseudonym, status: 404, message: NOT_IN_HANDOVER };
        return;
      }
      const answer = this.access.refusal(transfer, user, side);
      if (typeof answer === 'string') toSend.push({ index, transfer });
      else results[index] = { pseudonym, status: 403, message: answer.refused };
    });

    let next = 0;
    const worker = async () => {
      while (next < toSend.length) {
        const { index, transfer } = toSend[next++];
        results[index] = await this.one(transfer, user, update, command, deadline);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, toSend.length) }, worker));

    const done = results.filter((result) => result.status === 200).length;
    return { results, counts: { done, refused: results.length - done } };
  }

  private async one<Command extends CommandActor>(
    transfer: TransferRow,
    user: AuthenticatedUser,
    update: UpdateDefinition<TransferStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
    deadline: number,
  ): Promise<BulkResult> {
    const { pseudonym } = transfer;
    const left = deadline - Date.now();
    if (left < LEAST_TIME_MS) return { pseudonym, status: 503, message: BULK_DEADLINE_PASSED };
    try {
      const bounds = { deadlineMs: Math.min(COMMAND_DEADLINE_MS, left), notAfter: Math.min(Date.now() + COMMAND_START_WITHIN_MS, deadline) };
      await this.commands.send(transfer, user, update, command, bounds);
      return { pseudonym, status: 200 };
    } catch (error) {
      if (error instanceof HttpException && (BULK_STATUSES as readonly number[]).includes(error.getStatus())) {
        return { pseudonym, status: error.getStatus() as BulkStatus, message: error.message };
      }
      this.logger.error(`a bulk command failed (${(error as Error).name})`);
      return { pseudonym, status: 503, message: 'not done: the transfer could not be reached; try again' };
    }
  }
}
