import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED } from '../openapi/api-errors';
import { TransitionIdParam } from '../transitions/dto/transition-id.param';
import { TransitionsService } from '../transitions/transitions.service';
import { TransitionForecastResponse } from './forecast.response';
import { ForecastService, TransitionForecast } from './forecast.service';

@ApiTags('transitions')
@ApiBearerAuth()
@Controller('transitions')
export class ForecastController {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly forecasts: ForecastService,
  ) {}

  @Get(':transitionId/forecast')
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: "A handover's readiness forecast: the pace of the last 4 weeks projected to a ready date, against go-live" })
  @ApiOkResponse({ description: 'The forecast per stream and for the handover, with Dutch sentences and the method', type: TransitionForecastResponse })
  @ApiErrors([400, 403, 404, ...AUTHENTICATED], {
    403: "Not a coordinator or auditor, or another municipality's handover",
    404: 'No such handover',
  })
  async forecast(@Param() { transitionId }: TransitionIdParam, @CurrentUser() user: AuthenticatedUser): Promise<TransitionForecast> {
    await this.transitions.assertMayRead(transitionId, user);
    const forecast = await this.forecasts.forTransition(transitionId);
    if (!forecast) throw new NotFoundException('the handover does not exist');
    return forecast;
  }
}
