import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC, ROLES_ALLOWED } from './auth.decorators';
import { NAMED_ONLY_ROLES, Role } from './auth.types';
import { parseBearer } from './bearer';
import { TokensService } from './tokens.service';

/**
 * Every route needs a valid bearer token (401) and, where it names roles, one of them (403).
 * The header is read strictly (see parseBearer); the token is looked up on every request, so a
 * revoked or expired token is refused at once. A user whose role does not fit its
 * organisation (an auditor of a provider, made before that was refused) gets 403 everywhere.
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
    const request = context.switchToHttp().getRequest();
    const header = parseBearer(request.headers.authorization);
    if (header.kind === 'missing') throw new UnauthorizedException('a bearer token is required');
    if (header.kind === 'malformed') {
      throw new UnauthorizedException('the authorization header must be "Bearer <token>", with one space and one token');
    }
    if (header.kind === 'invalid') throw new UnauthorizedException('the bearer token is not valid');
    const signIn = await this.tokens.signIn(header.token);
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
}
