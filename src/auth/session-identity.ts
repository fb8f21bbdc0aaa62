import type { Request } from 'express';

/**
 * What a web page's session knows of its user: the identity (hash) of the token signed in
 * with, and when. Never the token, never the user's role: the guard looks the token up again
 * on every request, so a revoked or expired token ends the session at once.
 */
export interface SessionIdentity {
  tokenHash: string;
  /** Epoch ms. */
  signedInAt: number;
}

declare module 'express-session' {
  interface SessionData {
    identity?: SessionIdentity;
    /** A message for the next page shown (after a redirect), then gone. */
    flash?: string;
  }
}

export function sessionIdentityOf(request: Request): SessionIdentity | undefined {
  return request.session?.identity;
}

/** Ends the session server-side (its row is deleted); the request goes on without one. */
export function endSession(request: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!request.session) return resolve();
    request.session.destroy((error) => (error ? reject(error) : resolve()));
  });
}
