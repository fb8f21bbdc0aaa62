import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../auth/auth.types';
import type { EndReason, InformChannel, TargetGroup, TransferStep } from './client.events';

/** A row of `client_transfers` as the API reads it: dates as YYYY-MM-DD, instants as Date. */
export interface TransferRow {
  pseudonym: string;
  transitionId: string;
  municipality: string;
  district: string;
  outgoingProvider: string;
  incomingProvider: string;
  targetGroup: TargetGroup;
  step: TransferStep;
  finished: boolean;
  erased: boolean;
  informedOn: string | null;
  informChannel: InformChannel | null;
  consentOn: string | null;
  fileId: string | null;
  fileMediaType: 'application/pdf' | 'application/zip' | null;
  fileBytes: number | null;
  fileTransferredAt: Date | null;
  intakeOn: string | null;
  acceptedOn: string | null;
  endReason: EndReason | null;
  finishedAt: Date | null;
  stepSince: Date;
  listedAt: Date;
}

/** The columns of a TransferRow, for `SELECT ${TRANSFER_COLUMNS} FROM client_transfers t`. */
export const TRANSFER_COLUMNS = `
  t.pseudonym, t.transition_id AS "transitionId", t.municipality, t.district,
  t.outgoing_provider AS "outgoingProvider", t.incoming_provider AS "incomingProvider",
  t.target_group AS "targetGroup", t.step, t.finished, t.erased,
  to_char(t.informed_on, 'YYYY-MM-DD') AS "informedOn", t.inform_channel AS "informChannel",
  to_char(t.consent_on, 'YYYY-MM-DD') AS "consentOn",
  t.file_id AS "fileId", t.file_media_type AS "fileMediaType", t.file_bytes AS "fileBytes",
  t.file_transferred_at AS "fileTransferredAt",
  to_char(t.intake_on, 'YYYY-MM-DD') AS "intakeOn", to_char(t.accepted_on, 'YYYY-MM-DD') AS "acceptedOn",
  t.end_reason AS "endReason", t.finished_at AS "finishedAt", t.step_since AS "stepSince", t.listed_at AS "listedAt"`;

/** Which side of a transfer a provider is on: both for a continuation (the provider stays). */
export type TransferRole = 'outgoing' | 'incoming' | 'outgoing-and-incoming';

export function roleIn(transfer: Pick<TransferRow, 'outgoingProvider' | 'incomingProvider'>, user: AuthenticatedUser): TransferRole | null {
  if (user.role !== 'provider') return null;
  const outgoing = user.actingFor.includes(transfer.outgoingProvider);
  const incoming = user.actingFor.includes(transfer.incomingProvider);
  if (outgoing && incoming) return 'outgoing-and-incoming';
  return outgoing ? 'outgoing' : incoming ? 'incoming' : null;
}

export const isOutgoing = (role: TransferRole | null) => role === 'outgoing' || role === 'outgoing-and-incoming';

/** The client said yes, and did not change their mind: what the incoming provider may see depends on it. */
export const consentGiven = (transfer: Pick<TransferRow, 'consentOn' | 'step'>) => transfer.consentOn !== null && transfer.step !== 'declined';

/** Whether the caller may read the client's personal data and file: the outgoing provider, the incoming one after consent. */
export const maySeePersonalData = (transfer: Pick<TransferRow, 'consentOn' | 'step'>, role: TransferRole | null) =>
  isOutgoing(role) || (role === 'incoming' && consentGiven(transfer));

/** Whose move a command is: the refusal a provider on the other side gets, worded as the workflow words it. */
export type CommandSide = 'outgoing' | 'incoming' | 'either';
const SIDE_REFUSAL: Record<CommandSide, string> = {
  outgoing: "this step is the outgoing provider's",
  incoming: "this step is the incoming provider's",
  either: 'only the outgoing or the incoming provider may end a transfer',
};

export const NO_SUCH_TRANSFER = 'the client transfer does not exist';
export const NOT_YOUR_TRANSFER = 'the client transfer belongs to other providers';

/** A handover as the client reads need it: who commissions it and who hands over to whom. */
export interface HandoverParties {
  transitionId: string;
  municipality: string;
  outgoingProvider: string;
  incomingProvider: string;
}

/**
 * Who may do what with a client transfer, decided from the read models before anything is sent
 * to a workflow or read from the vault: the transfer must exist (404) and the caller must act
 * for a provider of it (403). The workflows check again.
 */
@Injectable()
export class TransferAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(pseudonym: string): Promise<TransferRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${TRANSFER_COLUMNS} FROM client_transfers t WHERE t.pseudonym = $1`, [pseudonym]);
    return row;
  }

  /** The transfers of these pseudonyms within one handover; others are left out. */
  async findIn(transitionId: string, pseudonyms: readonly string[]): Promise<Map<string, TransferRow>> {
    const rows: TransferRow[] = await this.dataSource.query(
      `SELECT ${TRANSFER_COLUMNS} FROM client_transfers t WHERE t.transition_id = $1 AND t.pseudonym = ANY ($2::text[])`,
      [transitionId, pseudonyms],
    );
    return new Map(rows.map((row) => [row.pseudonym, row]));
  }

  /** The transfer, when the caller acts for one of its providers (on `side`, when named). */
  async forProvider(pseudonym: string, user: AuthenticatedUser, side: CommandSide = 'either'): Promise<{ transfer: TransferRow; role: TransferRole }> {
    const transfer = await this.find(pseudonym);
    if (!transfer) throw new NotFoundException(NO_SUCH_TRANSFER);
    return { transfer, role: this.assertProvider(transfer, user, side) };
  }

  /** 403 unless the caller acts for a provider of the transfer (on `side`, when named). */
  assertProvider(transfer: TransferRow, user: AuthenticatedUser, side: CommandSide = 'either'): TransferRole {
    const answer = this.refusal(transfer, user, side);
    if (typeof answer !== 'string') throw new ForbiddenException(answer.refused);
    return answer;
  }

  /** The caller's role, or why it may not send a command of `side` (for bulk results, which do not throw). */
  refusal(transfer: TransferRow, user: AuthenticatedUser, side: CommandSide): TransferRole | { refused: string } {
    const role = roleIn(transfer, user);
    if (!role) return { refused: NOT_YOUR_TRANSFER };
    if (side === 'outgoing' && !isOutgoing(role)) return { refused: SIDE_REFUSAL.outgoing };
    if (side === 'incoming' && role === 'outgoing') return { refused: SIDE_REFUSAL.incoming };
    return role;
  }

  /** The handover's municipality and providers, from its summary; 404 when there is no such handover. */
  async handover(transitionId: string): Promise<HandoverParties> {
    const [row] = await this.dataSource.query(
      `SELECT transition_id AS "transitionId", municipality, outgoing_provider AS "outgoingProvider", incoming_provider AS "incomingProvider"
       FROM transition_summaries WHERE transition_id = $1`,
      [transitionId],
    );
    if (!row) throw new NotFoundException('the handover does not exist');
    return row;
  }

  /**
   * Who reads a handover's clients: its coordinators (and, with `auditors`, its auditors), each of
   * its own municipality, and the providers acting for its outgoing or incoming provider.
   */
  async assertMayReadHandover(transitionId: string, user: AuthenticatedUser, { auditors = false } = {}): Promise<{ handover: HandoverParties; role: TransferRole | 'coordinator' | 'auditor' }> {
    const handover = await this.handover(transitionId);
    if (user.role === 'provider') {
      const role = roleIn(handover, user);
      if (!role) throw new ForbiddenException('the handover is between other providers');
      return { handover, role };
    }
    if (user.role === 'operator') throw new ForbiddenException('operators read no handover');
    if (user.role === 'auditor' && !auditors) throw new ForbiddenException("auditors read a handover's events through the audit routes");
    if (handover.municipality !== user.organisation) throw new ForbiddenException('the handover belongs to another municipality');
    return { handover, role: user.role };
  }
}
