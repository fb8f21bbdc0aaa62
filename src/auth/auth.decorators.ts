import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser, Role } from './auth.types';

export const PUBLIC = Symbol('public');
export const ROLES_ALLOWED = Symbol('roles-allowed');
export const WEB_PAGE = Symbol('web-page');

/** Reachable without a token (health, API docs). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * A controller of web pages (src/web/): its routes take the browser's session instead of a
 * bearer token (see AuthGuard), with the same role rules; it stays out of the OpenAPI document.
 */
export const WebPage = () => applyDecorators(SetMetadata(WEB_PAGE, true), ApiExcludeController());

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_ALLOWED, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user,
);
