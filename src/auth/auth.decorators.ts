import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthenticatedUser, Role } from './auth.types';

export const PUBLIC = Symbol('public');
export const ROLES_ALLOWED = Symbol('roles-allowed');

/** Reachable without a token (health, API docs). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_ALLOWED, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user,
);
