import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC, ROLES_ALLOWED } from './auth.decorators';
import type { Role } from './auth.types';
import { TokensService } from './tokens.service';

/** Every route needs a valid bearer token (401) and, where it names roles, one of them (403). */
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
    const [scheme, token] = String(request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('a bearer token is required');
    const user = await this.tokens.authenticate(token);
    if (!user) throw new UnauthorizedException('the bearer token is not valid');
    request.user = user;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_ALLOWED, targets);
    if (allowed && !allowed.includes(user.role)) {
      throw new ForbiddenException(`this needs the role ${allowed.join(' or ')}; you are ${user.role}`);
    }
    return true;
  }
}
