import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClientImportStart, clientImportWorkflow, clientImportWorkflowId } from '../../../workflows/client-import/workflow';
import type { TransferHandover, TransferPolicy } from '../../../workflows/client-transfer/definitions';
import { actorOf, AuthenticatedUser } from '../../auth/auth.types';
import { withinDeadline } from '../../temporal/within-deadline';
import { holidaysUntil } from '../../transitions/plan-transition';
import { fileHash } from '../vault/client-crypto';
import { ClientVault } from '../vault/client-vault';
import { parseClientCsv } from './client-csv';

export interface ClientImportProgress {
  importId: string;
  state: 'running' | 'finished';
  /** Clients in the file. */
  clients: number;
  /** Clients the handover did not know yet: a transfer starts for each. */
  newClients: number;
  /** Transfers started and listed so far. */
  listed: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The handover as the read model has it: what its transfers need, and its state. */
type Handover = TransferHandover & { state: string };

/**
 * Takes an outgoing provider's client list whole or not at all: every row valid, stored (personal
 * data encrypted per client in the vault, client numbers as keyed hashes) in one transaction,
 * then the transfers start behind it in the import workflow. The same file again, or a list
 * whose clients are known already, changes nothing.
 */
@Injectable()
export class ClientImportService {
  constructor(
    private readonly temporal: Client,
    private readonly config: ConfigService,
    private readonly vault: ClientVault,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async import(transitionId: string, user: AuthenticatedUser, file: Buffer, correlationId: string): Promise<ClientImportProgress> {
    const handover = await this.handover(transitionId);
    if (!user.actingFor.includes(handover.outgoingProvider)) {
      throw new ForbiddenException('only the outgoing provider of this handover imports its clients');
    }
    if (['cancelled', 'closed'].includes(handover.state)) throw new ConflictException(`the handover is ${handover.state}`);
    if (!Buffer.isBuffer(file) || file.length === 0) throw new BadRequestException('body must be the client list, as CSV');
    const parsed = parseClientCsv(file);
    if (!parsed.ok) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `the client list has ${parsed.problemCount} problem(s); nothing was imported`,
        problems: parsed.problems,
        problemCount: parsed.problemCount,
      });
    }
    const importHash = fileHash(this.masterKey(), transitionId, file);
    const importId = await this.dataSource.transaction(async (manager) => {
      // One import of a handover at a time, so a file sent twice at once is taken once.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`client-import:${transitionId}`]);
      const [known] = await manager.query('SELECT import_id FROM client_imports WHERE transition_id = $1 AND file_hash = $2', [transitionId, importHash]);
      if (known) return known.import_id as string;
      const id = randomUUID();
      await manager.query(
        `INSERT INTO client_imports (import_id, transition_id, organisation, file_hash, clients, new_clients) VALUES ($1, $2, $3, $4, $5, 0)`,
        [id, transitionId, user.organisation, importHash, parsed.rows.length],
      );
      const { newClients } = await this.vault.storeClients(manager, transitionId, id, parsed.rows);
      await manager.query(
        `UPDATE client_imports SET new_clients = $2, state = CASE WHEN $2 = 0 THEN 'finished' ELSE 'running' END,
                finished_at = CASE WHEN $2 = 0 THEN now() END WHERE import_id = $1`,
        [id, newClients],
      );
      return id;
    });
    const progress = (await this.progressOf(transitionId, importId))!;
    // Also for a file seen before: a start the service did not live to make is made now.
    if (progress.state === 'running') await this.startImportWorkflow(handover, progress, user, correlationId);
    return progress;
  }

  async progress(transitionId: string, importId: string, user: AuthenticatedUser): Promise<ClientImportProgress> {
    const handover = await this.handover(transitionId);
    const mayRead =
      user.role === 'provider'
        ? user.actingFor.includes(handover.outgoingProvider) || user.actingFor.includes(handover.incomingProvider)
        : user.organisation === handover.municipality;
    if (!mayRead) throw new ForbiddenException('the handover belongs to other organisations');
    const progress = await this.progressOf(transitionId, importId);
    if (!progress) throw new NotFoundException('the import does not exist in this handover');
    return progress;
  }

  private async startImportWorkflow(handover: Handover, progress: ClientImportProgress, user: AuthenticatedUser, correlationId: string) {
    const start: ClientImportStart = {
      importId: progress.importId,
      transitionId: handover.transitionId,
      clients: progress.newClients,
      transfer: {
        handover: withoutState(handover),
        policy: this.policy(),
        holidays: holidaysUntil(handover.goLiveDate),
        requestedBy: actorOf(user),
        correlationId,
      },
    };
    await withinDeadline(this.temporal, () =>
      this.temporal.workflow.start(clientImportWorkflow, {
        workflowId: clientImportWorkflowId(handover.transitionId, progress.importId),
        taskQueue: this.config.getOrThrow<string>('TEMPORAL_TASK_QUEUE'),
        args: [start],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
  }

  private policy(): TransferPolicy {
    return {
      consentAnswerBusinessDays: this.config.getOrThrow<number>('TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS'),
      fileAfterConsentBusinessDays: this.config.getOrThrow<number>('TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS'),
      intakeAfterFileBusinessDays: this.config.getOrThrow<number>('TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS'),
      retentionDays: this.config.getOrThrow<number>('CLIENT_DATA_RETENTION_DAYS'),
    };
  }

  private masterKey(): Buffer {
    return Buffer.from(this.config.getOrThrow<string>('CLIENT_DATA_MASTER_KEY'), 'base64');
  }

  private async handover(transitionId: string): Promise<Handover> {
    const [row] = await this.dataSource.query(
      `SELECT transition_id AS "transitionId", municipality, district, outgoing_provider AS "outgoingProvider",
              incoming_provider AS "incomingProvider", to_char(go_live_date, 'YYYY-MM-DD') AS "goLiveDate", state
       FROM transition_summaries WHERE transition_id = $1`,
      [transitionId],
    );
    if (!row) throw new NotFoundException('the handover does not exist');
    return row;
  }

  private async progressOf(transitionId: string, importId: string): Promise<ClientImportProgress | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT i.import_id AS "importId", i.state, i.clients, i.new_clients AS "newClients",
              (SELECT count(*)::int FROM client_transfers t WHERE t.import_id = i.import_id) AS listed,
              i.created_at AS "createdAt", i.finished_at AS "finishedAt"
       FROM client_imports i WHERE i.transition_id = $1 AND i.import_id = $2`,
      [transitionId, importId],
    );
    return row;
  }
}

const withoutState = ({ state: _state, ...handover }: Handover): TransferHandover => handover;
