import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Permission } from './permission.enum';
import { Principal } from './principal';

export const ROUTE_ACCESS = 'route-access';

export type RouteAccess =
  | { kind: 'permission'; permission: Permission; reauth: boolean }
  | { kind: 'public'; reason: string };

export interface AuthenticatedOptions {
  permission: Permission;
  /** The caller must have proved password and TOTP again within the last few minutes. */
  reauth?: boolean;
}

/** Declares who may call a route. A route without this or @Public() is refused to everyone. */
export function Authenticated(options: AuthenticatedOptions): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'permission', permission: options.permission, reauth: options.reauth ?? false };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiBearerAuth(),
    ApiExtension('x-permission', options.permission),
    ApiExtension('x-reauth-required', access.reauth),
    ApiUnauthorizedResponse({ description: 'No valid access token' }),
    ApiForbiddenResponse({ description: `Requires permission ${options.permission}${access.reauth ? ' and recent re-authentication' : ''}` }),
  );
}

/** Declares a route open to anyone, with the reason, so the openness is a reviewed decision. */
export function Public(reason: string): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROUTE_ACCESS, { kind: 'public', reason } satisfies RouteAccess), ApiExtension('x-permission', 'open'));
}

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The principal the guard authenticated. Only valid on @Authenticated routes. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Authenticated');
  return principal;
});
