import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser, Role } from './auth.types';

export const PUBLIC = Symbol('public');
export const ROLES_ALLOWED = Symbol('roles-allowed');
export const WEB_PAGE = Symbol('web-page');
export const SESSION_OR_BEARER = Symbol('session-or-bearer');

/** Reachable without a token (health, API docs). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * A controller of web pages (src/web/): its routes take the browser's session instead of a
 * bearer token (see AuthGuard), with the same role rules; it stays out of the OpenAPI document.
 */
export const WebPage = () => applyDecorators(SetMetadata(WEB_PAGE, true), ApiExcludeController());

/**
 * An API route that a browser page of another origin calls with the signed-in user's session
 * cookie (the Temporal Web UI's codec calls, with credentials): without an Authorization header
 * the session counts, with one the bearer token does. Only for routes whose CORS admits the
 * caller's origin alone and whose body is JSON (so no form of another site can post to it).
 */
export const SessionOrBearer = () => SetMetadata(SESSION_OR_BEARER, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_ALLOWED, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user,
);
