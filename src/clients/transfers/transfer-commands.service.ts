import { ConflictException, HttpException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, UpdateDefinition } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { recordDownloadUpdate, TransferStatus, transferFileUpdate } from '../../../workflows/client-transfer/definitions';
import type { CommandActor } from '../../../workflows/transition/definitions';
import { actorOf, AuthenticatedUser } from '../../auth/auth.types';
import { COMMAND_DEADLINE_MS, COMMAND_START_WITHIN_MS, withinDeadline } from '../../temporal/within-deadline';
import { transferIdOf } from '../client.events';
import { CommandSide, TransferAccess, TransferRow } from '../transfer-access';
import { ClientDataErasedError } from '../vault/client-data-erased.error';
import { ClientVault } from '../vault/client-vault';
import { fileFromRequest } from './client-file';

export const ERASED_CONFLICT = "the client's personal data is erased";

/** Bounds of one command sent as part of a larger request (bulk). */
export interface SendBounds {
  deadlineMs: number;
  notAfter: number;
}

/**
 * Commands on a client's transfer, each a Temporal update of its workflow
 * (`transfer.<transitionId>.<pseudonym>`), sent once the read model shows the caller acts for
 * the provider whose move it is (404 / 403 before anything is sent). The workflow decides again
 * (its validator refuses, recording nothing); its rejections answer as 4xx, a timeout as 503.
 */
@Injectable()
export class TransferCommandsService {
  private readonly logger = new Logger(TransferCommandsService.name);

  constructor(
    private readonly temporal: Client,
    private readonly access: TransferAccess,
    private readonly vault: ClientVault,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async command<Command extends CommandActor>(
    pseudonym: string,
    user: AuthenticatedUser,
    side: CommandSide,
    update: UpdateDefinition<TransferStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
  ): Promise<TransferStatus> {
    const { transfer } = await this.access.forProvider(pseudonym, user, side);
    return this.send(transfer, user, update, command);
  }

  /** Sends a command to the transfer's workflow, as the user, within the caller's deadline. */
  send<Command extends CommandActor>(
    transfer: Pick<TransferRow, 'transitionId' | 'pseudonym'>,
    user: AuthenticatedUser,
    update: UpdateDefinition<TransferStatus, [Command]>,
    command: Omit<Command, keyof CommandActor>,
    bounds: SendBounds = { deadlineMs: COMMAND_DEADLINE_MS, notAfter: Date.now() + COMMAND_START_WITHIN_MS },
  ): Promise<TransferStatus> {
    const by: CommandActor = { actor: actorOf(user), actingFor: user.actingFor, notAfter: bounds.notAfter };
    const handle = this.temporal.workflow.getHandle(transferIdOf(transfer.transitionId, transfer.pseudonym));
    return withinDeadline(this.temporal, () => handle.executeUpdate(update, { args: [{ ...command, ...by } as Command] }), bounds.deadlineMs, 'the transfer');
  }

  /**
   * The outgoing provider sends the client's file package: checked (type and first bytes),
   * stored encrypted with the client's key under a new id, then recorded by the workflow. A file
   * whose transfer is refused, or fails, is deleted again, unless the store holds its event.
   */
  async transferFile(pseudonym: string, user: AuthenticatedUser, contentType: string | undefined, body: unknown): Promise<TransferStatus> {
    const { transfer } = await this.access.forProvider(pseudonym, user, 'outgoing');
    const { mediaType, content } = fileFromRequest(contentType, body);
    if (transfer.erased) throw new ConflictException(ERASED_CONFLICT);
    const fileId = randomUUID();
    try {
      await this.vault.storeFile(pseudonym, fileId, mediaType, content);
    } catch (error) {
      if (error instanceof ClientDataErasedError) throw new ConflictException(ERASED_CONFLICT);
      throw error;
    }
    try {
      return await this.send(transfer, user, transferFileUpdate, { fileId, mediaType, bytes: content.length });
    } catch (error) {
      await this.discard(pseudonym, fileId, error);
      throw error;
    }
  }

  /** Records that the caller downloads the transfer's file (an event, before the bytes go out). */
  recordDownload(transfer: TransferRow, fileId: string, user: AuthenticatedUser): Promise<TransferStatus> {
    return this.send(transfer, user, recordDownloadUpdate, { fileId });
  }

  /**
   * A refusal recorded nothing: the file goes. After a failure (503) the append may have gone
   * through all the same; the read model, updated in the append's transaction, says whether.
   */
  private async discard(pseudonym: string, fileId: string, error: unknown): Promise<void> {
    try {
      const refused = error instanceof HttpException && error.getStatus() < 500;
      if (!refused) {
        const [row] = await this.dataSource.query('SELECT file_id AS "fileId" FROM client_transfers WHERE pseudonym = $1', [pseudonym]);
        if (row?.fileId === fileId) return;
      }
      await this.vault.deleteFile(fileId);
    } catch (cleanup) {
      // Only the error's kind: never the pseudonym or anything about the file.
      this.logger.error(`a refused client file could not be deleted (${(cleanup as Error).name}); it stays encrypted and unreferenced`);
    }
  }
}
