import { Module } from '@nestjs/common';
import { PlanTemplatesService } from './plan-templates.service';
import { PlansController } from './plans.controller';

@Module({
  controllers: [PlansController],
  providers: [PlanTemplatesService],
  exports: [PlanTemplatesService],
})
export class PlansModule {}
