import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { PasswordHasher } from '@app/crypto';
import { Role } from '@app/domain';
import { IdentityException, IdentityExceptionCode } from '../identity/identity.exception';
import { SessionInfo, SessionRepository } from '../identity/session.repository';
import { UserRepository, UserSummary } from '../identity/user.repository';

/** What administrators do to accounts and sessions. Every change is audited with the admin as actor. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<UserSummary[]> {
    return this.users.list();
  }

  /** Creates an account with a random first password, returned once; the user sets up MFA at first sign-in. */
  async create(input: { username: string; displayName: string; role: Role }): Promise<{ user: UserSummary; initialPassword: string }> {
    const id = randomUUID();
    const initialPassword = randomBytes(18).toString('base64url');
    const created = await this.users.create({
      id,
      username: input.username.trim(),
      displayName: input.displayName.trim(),
      role: input.role,
      passwordHash: await this.hasher.hash(initialPassword),
    });
    if (!created) {
      await this.audit.record({ action: 'admin.user.create', outcome: 'failure', details: { reason: 'username_taken' } });
      throw new IdentityException(IdentityExceptionCode.UsernameTaken);
    }
    await this.audit.record({ action: 'admin.user.create', outcome: 'success', targetType: 'user', targetId: id, details: { role: input.role } });
    const user = (await this.users.list()).find((u) => u.id === id)!;
    return { user, initialPassword };
  }

  async setDisabled(admin: UserPrincipal, userId: string, disabled: boolean): Promise<void> {
    await this.access.requireAccess(admin, Permission.UserManage, userId);
    if (admin.userId === userId) throw new IdentityException(IdentityExceptionCode.CannotChangeOwnAccount);
    await this.users.setStatus(userId, disabled ? 'disabled' : 'active');
    const revoked = disabled ? await this.sessions.revokeAllForUser(userId, 'user_disabled') : 0;
    await this.audit.record({
      action: disabled ? 'admin.user.disable' : 'admin.user.enable',
      outcome: 'success',
      targetType: 'user',
      targetId: userId,
      details: { sessionsRevoked: revoked },
    });
  }

  /** The user must enrol again at next sign-in; their sessions end now. */
  async resetMfa(admin: UserPrincipal, userId: string): Promise<void> {
    await this.access.requireAccess(admin, Permission.UserManage, userId);
    await this.users.clearMfa(userId);
    const revoked = await this.sessions.revokeAllForUser(userId, 'mfa_reset');
    await this.audit.record({
      action: 'admin.user.mfa_reset',
      outcome: 'success',
      targetType: 'user',
      targetId: userId,
      details: { sessionsRevoked: revoked },
    });
  }

  async listSessions(userId?: string): Promise<SessionInfo[]> {
    return userId ? this.sessions.listActiveForUser(userId) : this.sessions.listActive(500);
  }

  async revokeSession(principal: UserPrincipal, sessionId: string, permission: Permission): Promise<void> {
    await this.access.requireAccess(principal, permission, sessionId);
    await this.sessions.revoke(sessionId, permission === Permission.SessionManage ? 'revoked_by_admin' : 'revoked_by_user');
    await this.audit.record({ action: 'session.revoke', outcome: 'success', targetType: 'session', targetId: sessionId });
  }
}
