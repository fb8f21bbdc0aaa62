import { ForbiddenException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readCacheOf, readKey } from '../../database/read-cache';
import type { AuthenticatedUser } from '../../auth/auth.types';
import type { ClientPersonalData } from '../client-personal-data';
import { TARGET_GROUPS, TargetGroup, TransferStep } from '../client.events';
import { shareOf, zeroPerStep } from '../client-tallies';
import { nextStepOf } from '../next-step';
import { StallPolicy, stalledCondition } from '../stalled';
import {
  isOutgoing,
  maySeePersonalData,
  NO_SUCH_TRANSFER,
  roleIn,
  TRANSFER_COLUMNS,
  TransferAccess,
  TransferRole,
  TransferRow,
} from '../transfer-access';
import { ClientVault } from '../vault/client-vault';
import { ClientListQuery, DEFAULT_PAGE_SIZE } from './client-list.query';
import type { ClientCountsResponse, ClientTransferPageResponse, ClientTransferResponse } from './client-transfer.response';

type Row = TransferRow & { stalled: boolean };

export const ERASED_GONE = "the client's personal data and file are erased";
const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * Reads of client transfers, from the read model and the vault only (never a workflow or a
 * stream): one client's transfer, its file, a handover's clients and counts, a provider's own.
 * Who sees what is decided per row (see ClientTransferResponse).
 */
@Injectable()
export class ClientReadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: TransferAccess,
    private readonly vault: ClientVault,
    private readonly stalls: StallPolicy,
  ) {}

  /** One client's transfer: the providers of it, and the coordinators of its municipality. */
  async detail(pseudonym: string, user: AuthenticatedUser): Promise<ClientTransferResponse> {
    const params: unknown[] = [pseudonym];
    const stalled = stalledCondition(this.stalls.cutoffs(), params);
    const [row]: Row[] = await this.dataSource.query(
      `SELECT ${TRANSFER_COLUMNS}, ${stalled} AS stalled FROM client_transfers t WHERE t.pseudonym = $1`,
      params,
    );
    if (!row) throw new NotFoundException(NO_SUCH_TRANSFER);
    if (user.role === 'coordinator') {
      if (row.municipality !== user.organisation) throw new ForbiddenException('the client transfer belongs to another municipality');
      return this.view(row, null, undefined);
    }
    const role = this.access.assertProvider(row, user);
    const personal = maySeePersonalData(row, role) ? await this.vault.personalData([pseudonym]) : undefined;
    return this.view(row, role, personal?.get(pseudonym));
  }

  /**
   * The client's file for the outgoing provider, or the incoming one after consent: 410 once
   * erased. Read (and decrypted) before the download is recorded, so nothing is recorded for a
   * file that cannot be given.
   */
  async file(pseudonym: string, user: AuthenticatedUser) {
    const { transfer, role } = await this.access.forProvider(pseudonym, user);
    if (!maySeePersonalData(transfer, role)) {
      throw new ForbiddenException('the incoming provider sees the file only once the client has consented');
    }
    if (transfer.erased) throw new GoneException(ERASED_GONE);
    if (!transfer.fileId) throw new NotFoundException('the transfer has no file yet');
    const file = await this.vault.readFile(pseudonym, transfer.fileId);
    if (file === 'erased') throw new GoneException(ERASED_GONE);
    if (file === null) throw new NotFoundException('the transfer has no file yet');
    const extension = file.mediaType === 'application/pdf' ? 'pdf' : 'zip';
    return { transfer, fileId: transfer.fileId, mediaType: file.mediaType, content: file.content, filename: `${pseudonym}.${extension}` };
  }

  /** A handover's clients: its providers (personal data by the usual rule) and its municipality's coordinators (codes only). */
  async forHandover(transitionId: string, query: ClientListQuery, user: AuthenticatedUser): Promise<ClientTransferPageResponse> {
    await this.access.assertMayReadHandover(transitionId, user);
    return this.page('t.transition_id = $1', [transitionId], query, user);
  }

  /** Every transfer the provider acts in, on either side. */
  async mine(query: ClientListQuery, user: AuthenticatedUser): Promise<ClientTransferPageResponse> {
    return this.page('(t.outgoing_provider = ANY ($1::text[]) OR t.incoming_provider = ANY ($1::text[]))', [user.actingFor], query, user);
  }

  /** A handover's counts: its coordinators and auditors (their municipality's) and its providers. */
  async counts(transitionId: string, user: AuthenticatedUser): Promise<ClientCountsResponse> {
    await this.access.assertMayReadHandover(transitionId, user, { auditors: true });
    const params: unknown[] = [transitionId];
    const stalled = stalledCondition(this.stalls.cutoffs(), params);
    // The same for everyone who may read it (checked above): remembered until the next commit (see ReadCache).
    return readCacheOf(this.dataSource).read(readKey('client-counts', params), () => this.readCounts(transitionId, stalled, params));
  }

  private async readCounts(transitionId: string, stalled: string, params: unknown[]): Promise<ClientCountsResponse> {
    const rows: Array<{ step: TransferStep; targetGroup: TargetGroup; n: number; finished: number; stalled: number }> = await this.dataSource.query(
      `SELECT t.step, t.target_group AS "targetGroup", count(*)::int AS n,
              count(*) FILTER (WHERE t.finished)::int AS finished, count(*) FILTER (WHERE ${stalled})::int AS stalled
       FROM client_transfers t WHERE t.transition_id = $1
       GROUP BY t.step, t.target_group`,
      params,
    );
    const perGroup = () => Object.fromEntries(TARGET_GROUPS.map((group) => [group, 0])) as Record<TargetGroup, number>;
    const byStep = zeroPerStep();
    const byTargetGroup = perGroup();
    const byStepAndTargetGroup = Object.fromEntries(Object.keys(byStep).map((step) => [step, perGroup()])) as Record<TransferStep, Record<TargetGroup, number>>;
    let total = 0;
    let finished = 0;
    let stalledCount = 0;
    for (const row of rows) {
      byStep[row.step] += row.n;
      byTargetGroup[row.targetGroup] += row.n;
      byStepAndTargetGroup[row.step][row.targetGroup] += row.n;
      total += row.n;
      finished += row.finished;
      stalledCount += row.stalled;
    }
    return {
      transitionId,
      total,
      finished,
      shareDone: shareOf(finished, total),
      stalled: stalledCount,
      byStep: byStep as unknown as ClientCountsResponse['byStep'],
      byTargetGroup: byTargetGroup as unknown as ClientCountsResponse['byTargetGroup'],
      byStepAndTargetGroup: byStepAndTargetGroup as unknown as ClientCountsResponse['byStepAndTargetGroup'],
    };
  }

  /** A page (keyset on pseudonym) of the transfers `scope` selects, filtered in SQL. */
  private async page(scope: string, params: unknown[], query: ClientListQuery, user: AuthenticatedUser): Promise<ClientTransferPageResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const stalled = stalledCondition(this.stalls.cutoffs(), params);
    const where = [scope];
    const add = (condition: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.step) add((n) => `t.step = ${n}`, query.step);
    if (query.targetGroup) add((n) => `t.target_group = ${n}`, query.targetGroup);
    if (query.stalled !== undefined) add((n) => `${stalled} = ${n}::boolean`, query.stalled);
    if (query.cursor) add((n) => `t.pseudonym > ${n}`, query.cursor);
    params.push(limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${TRANSFER_COLUMNS}, ${stalled} AS stalled FROM client_transfers t
       WHERE ${where.join(' AND ')}
       ORDER BY t.pseudonym LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const roles = new Map(items.map((row) => [row.pseudonym, roleIn(row, user)]));
    const visible = items.filter((row) => maySeePersonalData(row, roles.get(row.pseudonym)!)).map((row) => row.pseudonym);
    const personal = visible.length > 0 ? await this.vault.personalData(visible) : new Map<string, ClientPersonalData | 'erased'>();
    return {
      items: items.map((row) => this.view(row, roles.get(row.pseudonym)!, personal.get(row.pseudonym))),
      nextCursor: more ? items[items.length - 1].pseudonym : null,
    };
  }

  /** What the caller (its role in the transfer, null for a coordinator) may see of one transfer; `personal` only where maySeePersonalData holds. */
  private view(row: Row, role: TransferRole | null, personal: ClientPersonalData | 'erased' | undefined): ClientTransferResponse {
    const codes = {
      pseudonym: row.pseudonym,
      transitionId: row.transitionId,
      targetGroup: row.targetGroup,
      step: row.step,
      finished: row.finished,
      stalled: row.stalled,
    };
    if (!role) return codes;
    const next = nextStepOf(row.step, row.erased);
    const view: ClientTransferResponse = {
      ...codes,
      role,
      stepSince: row.stepSince.toISOString(),
      dates: {
        listedAt: row.listedAt.toISOString(),
        informedOn: row.informedOn,
        informChannel: row.informChannel,
        consentOn: row.consentOn,
        fileTransferredAt: iso(row.fileTransferredAt),
        intakeOn: row.intakeOn,
        acceptedOn: row.acceptedOn,
        finishedAt: iso(row.finishedAt),
      },
      next: next && {
        ...next,
        yourMove: next.by === 'either' || (next.by === 'outgoing' ? isOutgoing(role) : role !== 'outgoing'),
      },
      erased: row.erased,
    };
    if (!maySeePersonalData(row, role)) return view;
    return {
      ...view,
      endReason: row.endReason,
      file: row.fileId && row.fileMediaType && row.fileBytes !== null ? { mediaType: row.fileMediaType, bytes: row.fileBytes } : null,
      personalData: row.erased || personal === undefined || personal === 'erased' ? 'erased' : personal,
    };
  }
}
