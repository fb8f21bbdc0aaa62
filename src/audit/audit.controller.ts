import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.types';
import { TransitionsService } from '../transitions/transitions.service';
import type { Response } from 'express';
import { EventStore } from '../events/event-store.service';
import { TransitionIdParam } from '../transitions/dto/transition-id.param';
import { auditCsv, auditExport } from './audit-export';
import { AuditVerifier } from './audit-verifier.service';
import { AuditExportQuery, VerifyQuery } from './audit.dto';

/** Response header of an export: `intact`, or `broken` when the recomputed chain does not hold. */
export const AUDIT_CHAIN_HEADER = 'X-Audit-Chain';

/**
 * Coordinators and auditors, each bound to their own municipality: they verify and export its
 * handovers' streams only (403 for another municipality's).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('coordinator', 'auditor')
@Controller()
export class AuditController {
  constructor(
    private readonly verifier: AuditVerifier,
    private readonly eventStore: EventStore,
    private readonly transitions: TransitionsService,
  ) {}

  @Get('audit/verify')
  @ApiOkResponse({ description: "Recomputed hash chains of your municipality's streams (or one of them): intact, or the first broken position" })
  async verify(@Query() { streamId }: VerifyQuery, @CurrentUser() user: AuthenticatedUser) {
    if (streamId !== undefined) await this.transitions.assertMayRead(streamId, user);
    return this.verifier.verify({ streamId, municipality: user.organisation });
  }

  @Get('transitions/:transitionId/audit')
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  @ApiOkResponse({
    description:
      "The transition's audit trail with its chain recomputed: `verification` (intact, or the first broken event) " +
      'and a digest of the recomputed head to keep outside the system; a broken chain is still 200, ' +
      `with intact false and the header ${AUDIT_CHAIN_HEADER}: broken`,
  })
  async export(
    @Param() { transitionId }: TransitionIdParam,
    @Query() { format }: AuditExportQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ) {
    await this.transitions.assertMayRead(transitionId, user);
    const events = await this.eventStore.readStream(transitionId);
    if (events.length === 0) throw new NotFoundException(`transition ${transitionId} has no audit trail`);
    const exported = auditExport(transitionId, events);
    res.setHeader(AUDIT_CHAIN_HEADER, exported.verification.intact ? 'intact' : 'broken');
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`audit-${transitionId}.csv`)
        .send(auditCsv(exported));
    } else {
      res.json(exported);
    }
  }
}
