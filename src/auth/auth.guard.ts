import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC, ROLES_ALLOWED, SESSION_OR_BEARER, WEB_PAGE } from './auth.decorators';
import { NAMED_ONLY_ROLES, Role } from './auth.types';
import { parseBearer } from './bearer';
import { endSession, sessionIdentityOf } from './session-identity';
import { SignIn, TokensService } from './tokens.service';

/**
 * Every route needs a valid bearer token (401) and, where it names roles, one of them (403).
 * The header is read strictly (see parseBearer); the token is looked up on every request, so a
 * revoked or expired token is refused at once. A user whose role does not fit its
 * organisation (an auditor of a provider, made before that was refused) gets 403 everywhere.
 *
 * Web pages (`@WebPage()`) take the browser's session instead of a header: it names the token
 * it was opened with, which is looked up the same way; a session whose token no longer holds
 * is ended. The role rules are the same for both. A route marked `@SessionOrBearer()` takes the
 * session when the request has no Authorization header.
 *
 * An operator gets 403 on every route that does not name its role, also one that names none.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: unknown }>();
    const webPage = this.reflector.getAllAndOverride<boolean>(WEB_PAGE, targets);
    const sessionToo = this.reflector.getAllAndOverride<boolean>(SESSION_OR_BEARER, targets);
    const bySession = webPage || (sessionToo && request.headers.authorization === undefined && sessionIdentityOf(request) !== undefined);
    const signIn = bySession ? await this.fromSession(request) : await this.fromBearer(request);
    if (signIn.status === 'invalid') throw new UnauthorizedException('the bearer token is not valid');
    if (signIn.status === 'expired') throw new UnauthorizedException('the bearer token has expired');
    if (signIn.status === 'refused') throw new ForbiddenException(`${signIn.reason}: ask for a new user`);
    const { user } = signIn;
    request.user = user;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_ALLOWED, targets);
    if (allowed && !allowed.includes(user.role)) {
      throw new ForbiddenException(`this needs the role ${allowed.join(' or ')}; you are ${user.role}`);
    }
    if (!allowed && NAMED_ONLY_ROLES.includes(user.role)) {
      throw new ForbiddenException(`this is not for the role ${user.role}`);
    }
    return true;
  }

  private async fromBearer(request: Request): Promise<SignIn> {
    const header = parseBearer(request.headers.authorization);
    if (header.kind === 'missing') throw new UnauthorizedException('a bearer token is required');
    if (header.kind === 'malformed') {
      throw new UnauthorizedException('the authorization header must be "Bearer <token>", with one space and one token');
    }
    if (header.kind === 'invalid') throw new UnauthorizedException('the bearer token is not valid');
    return this.tokens.signIn(header.token);
  }

  private async fromSession(request: Request): Promise<SignIn> {
    const identity = sessionIdentityOf(request);
    if (!identity) throw new UnauthorizedException('sign in first');
    const signIn = await this.tokens.signInByHash(identity.tokenHash);
    if (signIn.status === 'invalid' || signIn.status === 'expired') await endSession(request);
    return signIn;
  }
}
