import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditExports, sendAuditExport } from '../../../audit/audit-exports';
import { CurrentUser, Roles, WebPage } from '../../../auth/auth.decorators';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { TransitionIdParam } from '../../../transitions/dto/transition-id.param';

/**
 * The handover's audit trail to download with the page's session, as `GET /transitions/:id/audit`
 * gives it: CSV for Dutch Excel (UTF-8 with BOM, `;`) or JSON, for its municipality's coordinators and auditors.
 */
@WebPage()
@Controller('overdrachten')
@Roles('coordinator', 'auditor')
export class HandoverAuditController {
  constructor(private readonly exports: AuditExports) {}

  @Get(':transitionId/audittrail.csv')
  async csv(@Param() { transitionId }: TransitionIdParam, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    sendAuditExport(response, await this.exports.forTransition(transitionId, user), 'csv');
  }

  @Get(':transitionId/audittrail.json')
  async json(@Param() { transitionId }: TransitionIdParam, @Res() response: Response, @CurrentUser() user: AuthenticatedUser) {
    const exported = await this.exports.forTransition(transitionId, user);
    response.attachment(`audit-${transitionId}.json`);
    sendAuditExport(response, exported, 'json');
  }
}
