/** How long a browser session lasts: since its last request (idle) and since signing in (absolute). */
export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

export function sessionLifetimes(idleMinutes: number, absoluteHours: number): SessionLifetimes {
  return { idleMs: Math.round(idleMinutes * 60_000), absoluteMs: Math.round(absoluteHours * 3_600_000) };
}

/**
 * Whether a session signed in at `signedInAt` (epoch ms) has outlived its absolute lifetime.
 * Idle expiry needs no check here: the store no longer returns a session past its `expire`.
 */
export function pastAbsoluteExpiry(signedInAt: number, now: number, { absoluteMs }: SessionLifetimes): boolean {
  return now - signedInAt >= absoluteMs;
}
