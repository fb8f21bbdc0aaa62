import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ListTransitionsQuery } from '../../src/transitions/dto/list-transitions.query';
import { CompleteTaskDto, TaskParams } from '../../src/tasks/task.dto';
import { MilestoneParams, MoveGoLiveDto, ReasonDto } from '../../src/transitions/dto/transition-commands.dto';
import { TransitionIdParam } from '../../src/transitions/dto/transition-id.param';
import { latestGoLiveDate } from '../../src/transitions/dto/transition-validators';
import { addDays } from '../../src/time/calendar';
import { amsterdamToday } from '../../src/time/amsterdam';

function problems<T extends object>(type: new () => T, body: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(type, body));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

const LONG = 'x'.repeat(10_000);

describe('MoveGoLiveDto', () => {
  const valid = { expectedGoLiveDate: '2027-06-01', goLiveDate: addDays(amsterdamToday(), 200), reason: 'Locations not ready' };

  it('accepts a move within the horizon', () => {
    expect(problems(MoveGoLiveDto, valid)).toEqual({});
    expect(problems(MoveGoLiveDto, { ...valid, goLiveDate: latestGoLiveDate() })).toEqual({});
  });

  it.each([addDays(latestGoLiveDate(), 1), '9999-12-22'])('refuses a new go-live of %s, beyond 10 years', (goLiveDate) => {
    expect(problems(MoveGoLiveDto, { ...valid, goLiveDate })).toEqual({
      goLiveDate: [expect.stringMatching(/^goLiveDate must be at most 10 years after today/)],
    });
  });

  it.each(['2027-02-30', '2027-13-01', '2027-00-10'])('wants a real expectedGoLiveDate, not %s', (expectedGoLiveDate) => {
    expect(problems(MoveGoLiveDto, { ...valid, expectedGoLiveDate })).toEqual({
      expectedGoLiveDate: ['expectedGoLiveDate must be a real calendar date'],
    });
  });

  it('bounds the reason', () => {
    expect(problems(MoveGoLiveDto, { ...valid, reason: LONG })).toEqual({
      reason: ['reason must be shorter than or equal to 500 characters'],
    });
  });
});

describe('text and code lengths', () => {
  it.each([
    [CompleteTaskDto, { note: LONG }, 'note', 'note must be shorter than or equal to 500 characters'],
    [CompleteTaskDto, { note: null }, 'note', 'note must be text'],
    [ReasonDto, { reason: LONG }, 'reason', 'reason must be shorter than or equal to 500 characters'],
    [TransitionIdParam, { transitionId: `${LONG}.x.2027-06-01` }, 'transitionId', 'transitionId must be shorter than or equal to 132 characters'],
    [TaskParams, { transitionId: 'rotterdam.charlois.2027-06-01', taskId: LONG }, 'taskId', 'taskId must be shorter than or equal to 60 characters'],
    [MilestoneParams, { transitionId: 'rotterdam.charlois.2027-06-01', milestoneId: LONG }, 'milestoneId', 'milestoneId must be shorter than or equal to 60 characters'],
    [ListTransitionsQuery, { municipality: LONG }, 'municipality', 'municipality must be shorter than or equal to 60 characters'],
  ] as const)('%p refuses a 10,000-character %s', (type, body, field, message) => {
    expect(problems(type as new () => object, body)[field]).toContain(message);
  });

  it('accepts the longest transition id two longest codes make', () => {
    const code = 'a'.repeat(60);
    expect(problems(TransitionIdParam, { transitionId: `${code}.${code}.2027-06-01` })).toEqual({});
  });
});
