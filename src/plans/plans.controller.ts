import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { PlanTemplatesService } from './plan-templates.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('templates')
export class PlansController {
  constructor(private readonly templates: PlanTemplatesService) {}

  @Get()
  @Roles('coordinator', 'auditor')
  @ApiOkResponse({ description: 'Plan templates, latest versions: milestones and tasks with offsets from go-live' })
  list() {
    return this.templates.latestAll();
  }
}
