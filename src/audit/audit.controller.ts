import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.types';
import { TransitionsService } from '../transitions/transitions.service';
import type { Response } from 'express';
import { TransitionIdParam } from '../transitions/dto/transition-id.param';
import { AUDIT_CHAIN_HEADER, AuditExports, sendAuditExport } from './audit-exports';
import { AuditVerifier } from './audit-verifier.service';
import { AuditExportQuery, VerifyQuery } from './audit.dto';
import { AuditExportResponse, VerificationReportResponse } from './audit.response';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';

/**
 * Coordinators and auditors, each bound to their own municipality: they verify and export its
 * handovers' streams only (403 for another municipality's).
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiExtraModels(AuditExportResponse)
@Roles('coordinator', 'auditor')
@Controller()
export class AuditController {
  constructor(
    private readonly verifier: AuditVerifier,
    private readonly exports: AuditExports,
    private readonly transitions: TransitionsService,
  ) {}

  @Get('audit/verify')
  @ApiOperation({ summary: "Verify the hash chains of your municipality's audit trail, or one handover's (coordinator, auditor)" })
  @ApiOkResponse({
    description: "Recomputed hash chains of your municipality's streams (or one of them): intact, or the first broken position",
    type: VerificationReportResponse,
  })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    400: 'streamId breaks a rule',
    403: "Not a coordinator or auditor, or another municipality's handover",
    404: 'No such handover',
  })
  async verify(@Query() { streamId }: VerifyQuery, @CurrentUser() user: AuthenticatedUser) {
    if (streamId !== undefined) await this.transitions.assertMayRead(streamId, user);
    return this.verifier.verify({ streamId, municipality: user.organisation });
  }

  @Get('transitions/:transitionId/audit')
  @ApiOperation({ summary: "A handover's audit trail, as JSON or as CSV for Excel (coordinator, auditor)" })
  @ApiOkResponse({
    description:
      "The transition's audit trail with its chain recomputed: `verification` (intact, or the first broken event) " +
      'and a digest of the recomputed head to keep outside the system; a broken chain is still 200, ' +
      `with intact false and the header ${AUDIT_CHAIN_HEADER}: broken`,
    headers: { [AUDIT_CHAIN_HEADER]: { description: 'intact or broken', schema: { type: 'string', enum: ['intact', 'broken'] } } },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditExportResponse) } },
      'text/csv': { schema: { type: 'string', description: 'UTF-8 with BOM, `;` between fields, CRLF; the verification, then the digest, last' } },
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
    sendAuditExport(res, await this.exports.forTransition(transitionId, user), format);
  }
}
