import { Injectable } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { Permission } from './permission.enum';
import { hasPermission, Principal } from './principal';

/**
 * The one helper every per-record check goes through (after immich's requireAccess). It throws
 * unless the principal may act on every one of the ids. "Not yours" and "does not exist" give the
 * same not-found answer, so ids cannot be probed.
 */
@Injectable()
export class AccessService {
  constructor(private readonly access: AccessRepository) {}

  async requireAccess(principal: Principal, permission: Permission, ids: string | readonly string[]): Promise<void> {
    const wanted = [...new Set(typeof ids === 'string' ? [ids] : ids)];
    if (!hasPermission(principal, permission)) throw new AuthException(AuthExceptionCode.NotFound);
    if (wanted.length === 0) return;
    const allowed = await this.access.allowedIds(principal, permission, wanted);
    if (wanted.some((id) => !allowed.has(id))) throw new AuthException(AuthExceptionCode.NotFound);
  }
}
