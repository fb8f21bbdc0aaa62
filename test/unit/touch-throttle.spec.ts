import { TouchThrottle } from '../../src/web/session/touch-throttle';

describe('TouchThrottle (a session stored expiry written at most once per interval)', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('takes a tenth of the idle time, at most a minute', () => {
    expect(new TouchThrottle(30 * 60_000, clock).intervalMs).toBe(60_000);
    expect(new TouchThrottle(12_000, clock).intervalMs).toBe(1_200);
  });

  it('writes a session it has not written, then not again within the interval', () => {
    const throttle = new TouchThrottle(30 * 60_000, clock);
    expect(throttle.due('a')).toBe(true);
    throttle.written('a');
    now += 59_999;
    expect(throttle.due('a')).toBe(false);
    expect(throttle.due('b')).toBe(true);
    now += 1;
    expect(throttle.due('a')).toBe(true);
  });

  it('writes a forgotten (destroyed) session at once', () => {
    const throttle = new TouchThrottle(30 * 60_000, clock);
    throttle.written('a');
    throttle.forget('a');
    expect(throttle.due('a')).toBe(true);
  });

  it('remembers a bounded number of sessions, forgetting the least recently written', () => {
    const throttle = new TouchThrottle(30 * 60_000, clock);
    for (let i = 0; i <= 10_000; i++) throttle.written(`s${i}`);
    expect(throttle.due('s0')).toBe(true);
    expect(throttle.due('s1')).toBe(false);
    expect(throttle.due('s10000')).toBe(false);
  });
});
