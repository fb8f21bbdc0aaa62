import { validateEnvironment } from '../../src/config/environment';

describe('validateEnvironment', () => {
  it('fills in the embedded defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      TEMPORAL_TASK_QUEUE: 'overdracht',
      TEMPORAL_NAMESPACE: 'default',
      RUN_WORKER: true,
      EMBEDDED_POSTGRES_PORT: 5433,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(env.CLIENT_DATA_MASTER_KEY).toBeUndefined();
    expect(env).toMatchObject({
      CLIENT_DATA_MASTER_KEY_FILE: '.data/client-data-master.key',
      CLIENT_ERASURE_LOG: '.data/client-erasures.log',
    });
  });

  it('has web session lifetimes in minutes and hours (decimals allowed) and no proxy by default', () => {
    expect(validateEnvironment({})).toMatchObject({ WEB_SESSION_IDLE_MINUTES: 30, WEB_SESSION_ABSOLUTE_HOURS: 12, TRUST_PROXY: false });
    expect(validateEnvironment({ WEB_SESSION_IDLE_MINUTES: '0.2', TRUST_PROXY: 'true' })).toMatchObject({ WEB_SESSION_IDLE_MINUTES: 0.2, TRUST_PROXY: true });
    expect(() => validateEnvironment({ WEB_SESSION_IDLE_MINUTES: 'half an hour' })).toThrow('WEB_SESSION_IDLE_MINUTES must be a number of minutes');
    expect(() => validateEnvironment({ WEB_SESSION_ABSOLUTE_HOURS: '0' })).toThrow('WEB_SESSION_ABSOLUTE_HOURS');
  });

  it('converts numbers and booleans from their string form', () => {
    const env = validateEnvironment({ PORT: '8080', RUN_WORKER: 'false' });
    expect(env.PORT).toBe(8080);
    expect(env.RUN_WORKER).toBe(false);
  });

  it('has documented defaults for the stop, the request deadline and the worker', () => {
    expect(validateEnvironment({})).toMatchObject({
      REQUEST_DEADLINE_MS: 10_000,
      SHUTDOWN_UNREADY_MS: 1_000,
      SHUTDOWN_DRAIN_MS: 15_000,
      WORKER_MAX_CACHED_WORKFLOWS: 250,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 40,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 100,
    });
    expect(validateEnvironment({ SHUTDOWN_DRAIN_MS: '0', WORKER_MAX_CACHED_WORKFLOWS: '0' })).toMatchObject({
      SHUTDOWN_DRAIN_MS: 0,
      WORKER_MAX_CACHED_WORKFLOWS: 0,
    });
  });

  it('treats an empty value as unset', () => {
    expect(validateEnvironment({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    expect(validateEnvironment({ PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL/],
    [{ TEMPORAL_ADDRESS: 'http://localhost:7233' }, /TEMPORAL_ADDRESS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ RUN_WORKER: 'maybe' }, /RUN_WORKER/],
    [{ CLIENT_DATA_MASTER_KEY: 'c2hvcnQ=' }, /CLIENT_DATA_MASTER_KEY must be 32 bytes/],
    [{ REQUEST_DEADLINE_MS: '500' }, /REQUEST_DEADLINE_MS/],
    [{ SHUTDOWN_DRAIN_MS: '-1' }, /SHUTDOWN_DRAIN_MS/],
    [{ SHUTDOWN_UNREADY_MS: 'soon' }, /SHUTDOWN_UNREADY_MS/],
    [{ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, /WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/],
    [{ WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, /WORKER_MAX_CONCURRENT_ACTIVITIES/],
  ])('rejects %p naming the variable', (raw, name) => {
    expect(() => validateEnvironment(raw)).toThrow(name);
  });
});
