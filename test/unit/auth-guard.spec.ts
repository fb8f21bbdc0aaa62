import { ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Roles } from '../../src/auth/auth.decorators';
import { AuthGuard } from '../../src/auth/auth.guard';
import type { AuthenticatedUser, Role } from '../../src/auth/auth.types';
import type { TokensService } from '../../src/auth/tokens.service';

const TOKEN = `ovd_${'a'.repeat(43)}`;

class Routes {
  open() {}
  @Roles('coordinator', 'auditor') coordinators() {}
  @Roles('operator') operators() {}
}

function guardFor(role: Role) {
  const user: AuthenticatedUser = { id: 'u', username: 'u', role, organisation: 'rotterdam', actingFor: ['rotterdam'] };
  const tokens = { signIn: async () => ({ status: 'valid', user }) } as unknown as TokensService;
  const guard = new AuthGuard(new Reflector(), tokens);
  return (handler: keyof Routes) =>
    guard.canActivate({
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${TOKEN}` } }) }),
    } as unknown as ExecutionContext);
}

describe('AuthGuard and the operator role', () => {
  it('lets an operator reach only the routes naming it: not one naming no role, not one naming others', async () => {
    const operator = guardFor('operator');
    await expect(operator('operators')).resolves.toBe(true);
    await expect(operator('open')).rejects.toThrow(ForbiddenException);
    await expect(operator('coordinators')).rejects.toThrow(/needs the role coordinator or auditor; you are operator/);
  });

  it('keeps every other role where it was: routes naming no role are open to them', async () => {
    for (const role of ['coordinator', 'auditor', 'provider'] as const) {
      await expect(guardFor(role)('open')).resolves.toBe(true);
      await expect(guardFor(role)('operators')).rejects.toThrow(/needs the role operator/);
    }
  });
});
