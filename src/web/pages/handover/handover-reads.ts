import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditVerifier } from '../../../audit/audit-verifier.service';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { cachedQuery, readCacheOf, readKey } from '../../../database/read-cache';
import { ClientReadsService } from '../../../clients/reads/client-reads.service';
import { auditStatus } from './audit-status';
import { clientFunnel } from './client-funnel';

/**
 * What the handover page shows beyond the handover's detail, from read models and the audit
 * trail only: names of its district and organisations, whether it waits at the go-live gate,
 * the client funnel (counts only, as `GET …/clients/counts`) and its audit trail's verification.
 */
@Injectable()
export class HandoverReads {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientReadsService,
    private readonly verifier: AuditVerifier,
  ) {}

  async extras(transitionId: string, plan: { municipality: string; district: string }, codes: string[], user: AuthenticatedUser) {
    const [[district], organisations, [gate], counts, verification] = await Promise.all([
      cachedQuery<{ name: string }>(this.dataSource, 'SELECT name FROM districts WHERE municipality = $1 AND code = $2', [plan.municipality, plan.district]),
      cachedQuery<{ code: string; name: string }>(this.dataSource, 'SELECT code, name FROM organisations WHERE code = ANY ($1::text[])', [codes]),
      // The workflow's own flag: set at the gate with mandatory milestones unmet, cleared by a go decision or a move.
      cachedQuery<{ atGate: boolean }>(this.dataSource, `SELECT (status->>'atRisk')::boolean AS "atGate" FROM transition_details WHERE transition_id = $1`, [
        transitionId,
      ]),
      this.clients.counts(transitionId, user),
      // Its time says when the chain was checked; no commit since (or the cache reads again), so it still holds.
      readCacheOf(this.dataSource).read(readKey('audit-verify', transitionId), () => this.verifier.verify({ streamId: transitionId })),
    ]);
    const names = new Map(organisations.map((row) => [row.code, row.name]));
    return {
      districtName: district?.name ?? plan.district,
      nameOf: (code: string) => names.get(code) ?? code,
      waitsAtGate: gate?.atGate === true,
      funnel: clientFunnel(counts),
      audit: auditStatus(verification),
    };
  }
}
