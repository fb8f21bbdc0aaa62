import type { Actor } from '../events/event.types';

export type Role = 'coordinator' | 'provider' | 'auditor' | 'operator';
export const ROLES: Role[] = ['coordinator', 'provider', 'auditor', 'operator'];

/**
 * Roles that reach only the routes naming them, never a route that names no roles: an operator
 * (platform operations) may decode workflow payloads and nothing else.
 */
export const NAMED_ONLY_ROLES: readonly Role[] = ['operator'];

export interface AuthenticatedUser {
  id: string;
  username: string;
  role: Role;
  organisation: string;
  /** Its organisation and every consortium that organisation belongs to. */
  actingFor: string[];
}

export function actorOf(user: AuthenticatedUser): Actor {
  return { user: user.username, organisation: user.organisation, role: user.role };
}
