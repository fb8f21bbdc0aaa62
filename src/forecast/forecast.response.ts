import { ApiProperty } from '@nestjs/swagger';
import { CODE } from '../organisations/codes';
import { TRANSITION_STATES } from '../transitions/dto/transition-status.response';
import { DATE_PATTERN, exampleGoLiveDate } from '../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';
import { STREAM_KEYS } from './forecast';

const date = (description: string, nullable = false) =>
  ApiProperty({ type: String, format: 'date', pattern: DATE_PATTERN.source, example: exampleGoLiveDate, description, nullable });
const count = (description: string) => ApiProperty({ type: 'integer', minimum: 0, description });

export class ForecastPointResponse {
  @date('The instant this day begins (Europe/Amsterdam): done until then')
  date: string;

  @count('Done by then')
  done: number;
}

export class StreamForecastResponse {
  @ApiProperty({ enum: STREAM_KEYS, description: 'tasks (due by go-live), clients (transfers), campaign (resident messages of the latest campaign)' })
  stream: string;

  @count('Items in all')
  total: number;

  @count('Items done')
  done: number;

  @count('Done when the window began')
  doneAtWindowStart: number;

  @ApiProperty({ type: 'number', minimum: 0, description: 'Items done per day over the window' })
  pacePerDay: number;

  @ApiProperty({ enum: ['complete', 'nothing-to-do', 'on-pace', 'no-pace'] })
  status: string;

  @date('The day it reaches 100 % at this pace; null when complete, nothing to do or without pace', true)
  readyDate: string | null;

  @ApiProperty({ type: [ForecastPointResponse], description: 'Done over the window, for a burn-up chart' })
  series: ForecastPointResponse[];

  @ApiProperty({ description: 'The stream in a Dutch sentence' })
  sentence: string;
}

/** `GET /transitions/:transitionId/forecast`: counts and dates only. */
export class TransitionForecastResponse {
  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: `rotterdam.feijenoord.${exampleGoLiveDate}` })
  transitionId: string;

  @ApiProperty({ pattern: CODE.source, example: 'rotterdam' })
  municipality: string;

  @ApiProperty({ enum: TRANSITION_STATES })
  state: string;

  @date('Today in Europe/Amsterdam')
  today: string;

  @date('Go-live (startdatum)')
  goLiveDate: string;

  @date('First day of the window the pace is measured over')
  windowStart: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Days in the window (4 weeks, shorter for a younger handover)' })
  windowDays: number;

  @ApiProperty({
    enum: ['ready', 'on-time', 'late', 'unknown'],
    description: 'late: at this pace ready on go-live or after, go-live passed with work left, or no pace with go-live 28 days away or closer',
  })
  verdict: string;

  @date('The latest stream’s ready date at this pace; null when ready or a stream has no pace', true)
  readyDate: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Days from the ready date to go-live: positive before, 0 or less late' })
  daysBeforeGoLive: number | null;

  @ApiProperty({ type: 'integer', description: 'Days from today to go-live (negative once passed)' })
  daysToGoLive: number;

  @ApiProperty({ type: [StreamForecastResponse] })
  streams: StreamForecastResponse[];

  @ApiProperty({ description: 'The forecast in Dutch, e.g. "Op dit tempo klaar op 12 mei, 20 dagen voor de start."' })
  sentence: string;

  @ApiProperty({ description: 'How the forecast is made, in Dutch' })
  method: string;
}
