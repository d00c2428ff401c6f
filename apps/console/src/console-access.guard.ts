import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthException, AuthExceptionCode, ROUTE_ACCESS, RouteAccess } from '@app/auth';

/**
 * The console authenticates nobody itself (the apps behind it do), so its own routes must all be
 * declared open, with a reason; anything else is refused, as the apps' default-deny guard does.
 */
@Injectable()
export class ConsoleAccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    if (access?.kind !== 'public') throw new AuthException(AuthExceptionCode.RouteNotDeclared);
    return true;
  }
}
