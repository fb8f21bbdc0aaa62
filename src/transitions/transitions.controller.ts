import { Body, Controller, Get, Headers, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateTransitionDto } from './dto/create-transition.dto';
import { TransitionIdParam } from './dto/transition-id.param';
import { ANONYMOUS, correlationIdFrom } from '../audit/request-context';
import { TransitionsService } from './transitions.service';

@ApiTags('transitions')
@Controller('transitions')
export class TransitionsController {
  constructor(private readonly transitions: TransitionsService) {}

  @Post()
  @ApiCreatedResponse({ description: 'The handover is recorded and its workflow runs' })
  @ApiBadRequestResponse({ description: 'A field is missing, unknown or invalid; nothing is started' })
  @ApiConflictResponse({ description: 'A handover for this municipality, district and go-live exists' })
  create(@Body() dto: CreateTransitionDto, @Headers('x-correlation-id') correlationHeader?: string) {
    return this.transitions.create(dto, ANONYMOUS, correlationIdFrom(correlationHeader));
  }

  @Get()
  @ApiOkResponse({ description: 'Every handover, by go-live date' })
  list() {
    return this.transitions.list();
  }

  @Get(':transitionId')
  @ApiOkResponse({ description: 'Live state of one handover' })
  @ApiNotFoundResponse()
  get(@Param() { transitionId }: TransitionIdParam) {
    return this.transitions.get(transitionId);
  }
}
