import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { PlanTemplateResponse } from './plan-template.response';
import { PlanTemplatesService } from './plan-templates.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('templates')
export class PlansController {
  constructor(private readonly templates: PlanTemplatesService) {}

  @Get()
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: 'The plan templates (coordinator, auditor)' })
  @ApiOkResponse({ description: 'Plan templates, latest versions: milestones and tasks with offsets from go-live', type: [PlanTemplateResponse] })
  @ApiErrors([403, ...AUTHENTICATED], { 403: 'Not a coordinator or auditor' })
  list() {
    return this.templates.latestAll();
  }
}
