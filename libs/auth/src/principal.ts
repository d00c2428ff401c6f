import { Role, ServiceName } from '@app/domain';
import { Permission } from './permission.enum';
import { ROLE_PERMISSIONS, SERVICE_PERMISSIONS } from './role-permissions';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  role: Role;
  sessionId: string;
  reauthAt: Date | null;
}

export interface ServicePrincipal {
  kind: 'service';
  service: ServiceName;
}

/** Whoever a request acts for: a signed-in person or one of the platform's apps. */
export type Principal = UserPrincipal | ServicePrincipal;

export function permissionsOf(principal: Principal): readonly Permission[] {
  return principal.kind === 'user' ? ROLE_PERMISSIONS[principal.role] : SERVICE_PERMISSIONS[principal.service];
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}
