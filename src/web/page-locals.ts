import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../auth/auth.types';

/** Who the layout shows as signed in: a role (for the menu) and an organisation, nothing personal. */
export type Viewer = Pick<AuthenticatedUser, 'role' | 'organisation'>;

/** What every page's layout needs: the viewer (for the menu), the CSRF token (for its forms) and a message left by the last action. */
export interface PageLocals {
  user?: Viewer;
  csrfToken: string;
  flash?: string;
  /** The page's path, so the menu can mark where the user is. */
  path: string;
}

export function pageLocals(request: Request, user?: AuthenticatedUser): PageLocals {
  const viewer = user && { role: user.role, organisation: user.organisation };
  return { user: viewer, csrfToken: request.csrfToken?.() ?? '', flash: takeFlash(request.session), path: request.path };
}

/** A message for the page after the redirect that follows a form (post, redirect, get). */
export function leaveFlash(session: { flash?: string } | undefined, message: string): void {
  if (session) session.flash = message;
}

/**
 * Leaves the message and redirects (303) once the session holding it is stored: express-session
 * would send the redirect's headers before its own save, and the browser's next request could
 * then read the session without the message.
 */
export async function redirectWithFlash(request: Request, response: Response, message: string, location: string): Promise<void> {
  leaveFlash(request.session, message);
  await new Promise<void>((resolve, reject) => (request.session ? request.session.save((error) => (error ? reject(error) : resolve())) : resolve()));
  response.redirect(303, location);
}

/** The waiting message, once: reading it removes it. */
export function takeFlash(session: { flash?: string } | undefined): string | undefined {
  if (!session?.flash) return undefined;
  const message = session.flash;
  delete session.flash;
  return message;
}
