import { Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/auth.types';
import { EventStore } from '../events/event-store.service';
import { TransitionsService } from '../transitions/transitions.service';
import { AuditExport, auditCsv, auditExport } from './audit-export';

/** Response header of an export: `intact`, or `broken` when the recomputed chain does not hold. */
export const AUDIT_CHAIN_HEADER = 'X-Audit-Chain';

/** A handover's audit trail, its chain recomputed, for its municipality's coordinators and auditors: the API's export and the pages' downloads alike. */
@Injectable()
export class AuditExports {
  constructor(
    private readonly eventStore: EventStore,
    private readonly transitions: TransitionsService,
  ) {}

  async forTransition(transitionId: string, user: AuthenticatedUser): Promise<AuditExport> {
    await this.transitions.assertMayRead(transitionId, user);
    const events = await this.eventStore.readStream(transitionId);
    if (events.length === 0) throw new NotFoundException('the handover has no audit trail');
    return auditExport(transitionId, events);
  }
}

/** Sends an export as JSON, or as CSV for Dutch Excel (an attachment), with the chain's verdict in a header. */
export function sendAuditExport(response: Response, exported: AuditExport, format: 'json' | 'csv'): void {
  response.setHeader(AUDIT_CHAIN_HEADER, exported.verification.intact ? 'intact' : 'broken');
  if (format === 'csv') {
    response.type('text/csv; charset=utf-8').attachment(`audit-${exported.streamId}.csv`).send(auditCsv(exported));
  } else {
    response.json(exported);
  }
}
