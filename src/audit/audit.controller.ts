import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.types';
import { TransitionsService } from '../transitions/transitions.service';
import type { Response } from 'express';
import { EventStore } from '../events/event-store.service';
import { TransitionIdParam } from '../transitions/dto/transition-id.param';
import { auditCsv, auditExport } from './audit-export';
import { AuditVerifier } from './audit-verifier.service';
import { AuditExportQuery, VerifyQuery } from './audit.dto';
import { AuditExportResponse, VerificationReportResponse } from './audit.response';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';

@ApiTags('audit')
@ApiBearerAuth()
@ApiExtraModels(AuditExportResponse)
@Roles('coordinator', 'auditor')
@Controller()
export class AuditController {
  constructor(
    private readonly verifier: AuditVerifier,
    private readonly eventStore: EventStore,
    private readonly transitions: TransitionsService,
  ) {}

  @Get('audit/verify')
  @ApiOperation({ summary: 'Verify the hash chains of the audit trail (coordinator, auditor)' })
  @ApiOkResponse({ description: 'Recomputed hash chains: intact, or the first broken position', type: VerificationReportResponse })
  @ApiErrors([400, 403, ...AUTHENTICATED], { 400: 'streamId breaks a rule', 403: 'Not a coordinator or auditor' })
  verify(@Query() { streamId }: VerifyQuery) {
    return this.verifier.verify(streamId);
  }

  @Get('transitions/:transitionId/audit')
  @ApiOperation({ summary: "A handover's audit trail, as JSON or as CSV for Excel (coordinator, auditor)" })
  @ApiOkResponse({
    description: "The transition's audit trail, ending with a digest to keep outside the system",
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditExportResponse) } },
      'text/csv': { schema: { type: 'string', description: 'UTF-8 with BOM, `;` between fields, CRLF; the last line is the digest' } },
    },
  })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Not a coordinator or auditor, or another municipality's handover",
    404: 'No such handover, or it has no audit trail',
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
