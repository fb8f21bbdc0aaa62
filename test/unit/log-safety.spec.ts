import { ApplicationFailure, ActivityFailure, RetryState } from '@temporalio/common';
import pino from 'pino';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { safeError, safeForLog } from '../../src/config/log-safety';
import { loggerOptions } from '../../src/config/logger';

const MARKER = 'Jan Jansen, Dorpsstraat 1, BSN 123456782, leakmarker-unit';

/** What PostgreSQL answers when a constraint quotes the row: its message, detail and where all hold the data. */
function databaseRefusal(): QueryFailedError {
  const driverError = Object.assign(new Error(`refused event {"note": "${MARKER}"}`), {
    code: '23514',
    severity: 'ERROR',
    detail: `Failing row contains (${MARKER})`,
    where: `PL/pgSQL function append_events(${MARKER}) line 3`,
    hint: MARKER,
    routine: 'exec_stmt_raise',
  });
  return new QueryFailedError('SELECT * FROM append_events($1, $2)', ['rotterdam.x', { note: MARKER }], driverError);
}

/** A pino logger with the service's options, writing into an array. */
function capture(level = 'trace') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino(loggerOptions(level), stream), lines };
}

describe('safeError', () => {
  it('keeps a database error’s type, SQLSTATE and stack frames, and nothing it quoted', () => {
    const safe = safeError(databaseRefusal());
    expect(safe).toMatchObject({ type: 'QueryFailedError', code: '23514', message: 'database error (SQLSTATE 23514)' });
    expect((safe as { stack: string }).stack).toMatch(/^QueryFailedError: database error \(SQLSTATE 23514\)\n {4}at /);
    expect(JSON.stringify(safe)).not.toMatch(/leakmarker|Jansen|append_events\(/);
  });

  it('follows causes: a Temporal failure around a database error', () => {
    const failure = new ActivityFailure('Activity task failed', 'appendEvents', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', databaseRefusal());
    const safe = safeError(failure) as { type: string; cause: { type: string; message: string } };
    expect(safe.type).toBe('ActivityFailure');
    expect(safe.cause).toMatchObject({ type: 'QueryFailedError', message: 'database error (SQLSTATE 23514)' });
    expect(JSON.stringify(safe)).not.toContain('leakmarker');
  });

  it('drops an application failure’s details', () => {
    const failure = ApplicationFailure.create({ message: 'refused', type: 'InvalidEventData', details: [{ note: MARKER }] });
    expect(JSON.stringify(safeError(failure))).not.toContain('leakmarker');
  });

  it('treats an error already serialised to a plain object the same way', () => {
    const serialised = { type: 'QueryFailedError', message: `invalid input: "${MARKER}"`, stack: `QueryFailedError: invalid input: "${MARKER}"\n    at x`, parameters: [MARKER], driverError: { code: '22P02' } };
    expect(JSON.stringify(safeError(serialised))).not.toContain('leakmarker');
  });
});

describe('safeForLog', () => {
  it('drops parameters, input, arguments, bodies, URLs and free text wherever they are', () => {
    const value = {
      activityType: 'appendEvents',
      attempt: 2,
      start: { input: [MARKER], args: [MARKER], heartbeatDetails: MARKER },
      request: { url: `/transitions?note=${MARKER}`, headers: { authorization: 'Bearer ovd_x' }, body: { note: MARKER } },
      events: [{ data: { note: MARKER, reason: MARKER } }],
    };
    const safe = safeForLog(value);
    expect(JSON.stringify(safe)).not.toContain('leakmarker');
    expect(safe).toMatchObject({ activityType: 'appendEvents', attempt: 2, events: [{ data: {} }] });
  });

  it('copies message objects through their JSON form (Temporal’s activity tasks and activations)', () => {
    class ActivityTask {
      constructor(readonly activityId: string, readonly input: unknown[]) {}
      toJSON() {
        return { activityId: this.activityId, input: this.input };
      }
    }
    expect(safeForLog({ start: new ActivityTask('7', [MARKER]) })).toEqual({ start: { activityId: '7' } });
  });

  it('bounds depth and length', () => {
    let deep: unknown = MARKER;
    for (let level = 0; level < 20; level++) deep = { child: deep };
    expect(JSON.stringify(safeForLog(deep))).not.toContain('leakmarker');
    expect((safeForLog(Array.from({ length: 500 }, (_, i) => i)) as unknown[]).length).toBe(50);
  });
});

describe('the service’s logger', () => {
  it('logs a failed append as the Temporal worker does without a trace of the data', () => {
    const { log, lines } = capture();
    const error = databaseRefusal();
    log.warn({ error, durationMs: 14, activityType: 'appendEvents' }, 'Activity failed');
    log.error(error);
    log.error({ err: error }, 'request failed');
    log.debug({ input: [{ note: MARKER }], parameters: [MARKER] }, 'Got activity task');
    log.child({ component: 'temporal' }).warn({ error: new ActivityFailure('Activity task failed', 'appendEvents', '7', RetryState.TIMEOUT, 'w', error) }, 'x');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).not.toMatch(/leakmarker|Jansen|Dorpsstraat|123456782/);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'Activity failed', durationMs: 14, error: { type: 'QueryFailedError', code: '23514' } });
    expect(JSON.parse(lines[1])).toMatchObject({ msg: 'database error (SQLSTATE 23514)', err: { code: '23514' } });
  });

  it('keeps ordinary errors readable', () => {
    const { log, lines } = capture();
    log.error(new Error('the event store could not be reached'), 'append failed');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'append failed', err: { type: 'Error', message: 'the event store could not be reached' } });
    expect(JSON.parse(lines[0]).err.stack).toContain('the event store could not be reached');
  });
});
