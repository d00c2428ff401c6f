import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuditService } from '@app/audit';
import { RequestContext } from '@app/http';
import { AuthConfig } from './auth.config';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { ServiceName } from '@app/domain';
import { ACCESS_STRATEGY, EXPECTED_AUDIENCE, SELF_SERVICE } from './access-token.strategy';
import { ipInRanges } from './cidr';
import { hasPermission, Principal } from './principal';
import { PrincipalRepository } from './principal.repository';
import { AuthenticatedRequest, ROUTE_ACCESS, RouteAccess } from './route-access.decorator';

/**
 * The global guard. Default deny: a route that declares nothing is refused. Otherwise the bearer
 * token is authenticated (passport-jwt), then the role's source-address allowlist, the permission
 * and, where asked, a recent re-authentication are checked. Every refusal is audited.
 */
@Injectable()
export class AccessGuard extends AuthGuard(ACCESS_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalRepository,
    private readonly audit: AuditService,
    private readonly config: AuthConfig,
    @Inject(SELF_SERVICE) private readonly self: ServiceName,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const route = `${request.method} ${request.route?.path ?? request.path}`;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);

    if (!access) {
      await this.deny('access.undeclared_route', route, AuthExceptionCode.RouteNotDeclared);
    }
    if (access!.kind === 'public') return true;

    try {
      // passport keeps one strategy per name for the whole process; which app a service token must be
      // addressed to travels with the request, so apps sharing a process (tests) never verify for each other.
      (request as AuthenticatedRequest & { [EXPECTED_AUDIENCE]?: ServiceName })[EXPECTED_AUDIENCE] = this.self;
      await super.canActivate(context);
    } catch (error) {
      const code = error instanceof AuthException ? error.code : AuthExceptionCode.Unauthenticated;
      await this.deny(code === AuthExceptionCode.AccountFrozen ? 'access.frozen' : 'access.unauthenticated', route, code);
    }
    const principal = request.principal!;
    RequestContext.setActor(
      principal.kind === 'user'
        ? { type: 'user', id: principal.userId, role: principal.role, sessionId: principal.sessionId }
        : { type: 'service', id: principal.service, role: 'service' },
    );

    if (principal.kind === 'user') {
      const cidrs = await this.principals.findRoleCidrs(principal.role);
      if (cidrs.length > 0 && !ipInRanges(RequestContext.current()?.sourceIp ?? null, cidrs)) {
        await this.deny('access.source_address_denied', route, AuthExceptionCode.SourceAddressNotAllowed);
      }
    }
    if (!hasPermission(principal, access!.permission)) {
      await this.deny('access.denied', route, AuthExceptionCode.Forbidden, { permission: access!.permission });
    }
    if (access!.reauth && !this.recentlyReauthenticated(principal)) {
      await this.deny('access.reauth_required', route, AuthExceptionCode.ReauthRequired);
    }
    return true;
  }

  /** Passport hands us the validated principal (or nothing); keep it on the request under our name. */
  override handleRequest<TUser = Principal>(
    error: unknown,
    principal: TUser | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error) throw error instanceof AuthException ? error : new AuthException(AuthExceptionCode.Unauthenticated);
    if (!principal) throw new AuthException(AuthExceptionCode.Unauthenticated);
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal = principal as unknown as Principal;
    return principal;
  }

  private recentlyReauthenticated(principal: Principal): boolean {
    if (principal.kind !== 'user' || !principal.reauthAt) return false;
    return Date.now() - principal.reauthAt.getTime() <= this.config.reauthWindowSeconds * 1000;
  }

  private async deny(
    action: string,
    route: string,
    code: AuthExceptionCode,
    details: Record<string, string> = {},
  ): Promise<never> {
    await this.audit.record({ action, outcome: 'denied', targetType: 'route', targetId: route.slice(0, 128), details });
    throw new AuthException(code);
  }
}
