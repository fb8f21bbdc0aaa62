import type { Actor } from '../events/event.types';

export type Role = 'coordinator' | 'provider' | 'auditor';
export const ROLES: Role[] = ['coordinator', 'provider', 'auditor'];

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
