/** The stored idle expiry moves on at most this often per session (and at most a tenth of the idle time). */
const TOUCH_AT_MOST_EVERY_MS = 60_000;
/** Sessions remembered per process; beyond that the oldest are forgotten (and simply written at their next request). */
const REMEMBERED = 10_000;

/**
 * When a session's stored expiry is due to move on again. A session is written (saved or touched)
 * at most once per interval by this process, so it ends between `idle − interval` and `idle` after
 * its last request, never later; the cookie (sent with every answer) keeps the full idle time,
 * and any process that reads the session still finds it until its stored expiry.
 */
export class TouchThrottle {
  readonly intervalMs: number;
  private readonly writtenAt = new Map<string, number>();

  constructor(idleMs: number, private readonly now: () => number = Date.now) {
    this.intervalMs = Math.min(TOUCH_AT_MOST_EVERY_MS, Math.floor(idleMs / 10));
  }

  /** Whether the session's stored expiry should be written now. */
  due(sid: string): boolean {
    const at = this.writtenAt.get(sid);
    return at === undefined || this.now() - at >= this.intervalMs;
  }

  written(sid: string): void {
    this.writtenAt.delete(sid);
    this.writtenAt.set(sid, this.now());
    if (this.writtenAt.size > REMEMBERED) this.writtenAt.delete(this.writtenAt.keys().next().value!);
  }

  forget(sid: string): void {
    this.writtenAt.delete(sid);
  }
}
