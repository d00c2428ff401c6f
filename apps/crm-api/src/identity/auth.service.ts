import { Injectable } from '@nestjs/common';
import { AuditOutcome, AuditService } from '@app/audit';
import { AuthException, AuthExceptionCode, ipInRanges, TokenService, UserPrincipal } from '@app/auth';
import { PasswordHasher } from '@app/crypto';
import { Role } from '@app/domain';
import { IdentityException, IdentityExceptionCode } from './identity.exception';
import { IpRuleRepository } from './ip-rule.repository';
import { MfaService } from './mfa.service';
import { passwordProblem } from './password-policy';
import { SessionRepository } from './session.repository';
import { SessionService, TokenPair } from './session.service';
import { SignInThrottleService } from './sign-in-throttle.service';
import { UserRecord, UserRepository } from './user.repository';

export type LoginStep =
  | { status: 'mfa_required'; challengeToken: string }
  | { status: 'mfa_enrolment_required'; enrolmentToken: string };

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

// Verified against when the username is unknown, so both cases take the same time.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2lnbmluLWR1bW15LXNhbHQ$0qUj5dYpJ8a2l2m1FZk3xqS0Ku7fH3b0S6u6bMNEpS8';

/**
 * Sign-in is two steps, password then TOTP (or first enrolment), and only the second one opens a
 * session. Every failure looks the same from outside and counts against the account and the address.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly sessionService: SessionService,
    private readonly mfa: MfaService,
    private readonly throttle: SignInThrottleService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly ipRules: IpRuleRepository,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, client: ClientInfo): Promise<LoginStep> {
    const user = await this.users.findByUsername(username.trim());
    if (await this.throttle.isLocked(username, client.ip)) {
      await this.record('auth.login', 'failure', user?.id ?? null, { reason: 'locked' });
      throw new IdentityException(IdentityExceptionCode.SignInFailed);
    }
    const passwordOk = await this.hasher.verify(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !passwordOk || user.status !== 'active') {
      await this.throttle.failure(username, client.ip);
      const reason = !user ? 'unknown_user' : !passwordOk ? 'bad_password' : 'disabled';
      await this.record('auth.login', 'failure', user?.id ?? null, { reason });
      throw new IdentityException(IdentityExceptionCode.SignInFailed);
    }
    await this.assertAddressAllowed(user, client.ip);
    if (user.frozenAt) {
      await this.record('auth.login', 'denied', user.id, { reason: 'frozen' });
      throw new AuthException(AuthExceptionCode.AccountFrozen);
    }
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.hasher.hash(password));
    }
    await this.record('auth.password', 'success', user.id);
    return user.mfaEnabledAt
      ? { status: 'mfa_required', challengeToken: this.tokens.issueMfaChallenge(user.id, 'verify') }
      : { status: 'mfa_enrolment_required', enrolmentToken: this.tokens.issueMfaChallenge(user.id, 'enrol') };
  }

  async verifyMfa(
    challengeToken: string,
    proof: { code?: string; recoveryCode?: string },
    client: ClientInfo,
  ): Promise<TokenPair> {
    const user = await this.userFromChallenge(challengeToken, 'verify');
    if (!user.mfaEnabledAt) throw new IdentityException(IdentityExceptionCode.InvalidToken);
    await this.assertNotLocked(user, client);
    if (proof.code !== undefined) {
      await this.requireCode(user, proof.code, client, 'auth.mfa.verify');
    } else if (proof.recoveryCode !== undefined && (await this.mfa.useRecoveryCode(user.id, proof.recoveryCode))) {
      await this.record('auth.mfa.recovery_code', 'success', user.id);
    } else {
      await this.throttle.failure(user.username, client.ip);
      await this.record('auth.mfa.recovery_code', 'failure', user.id);
      throw new IdentityException(IdentityExceptionCode.SignInFailed);
    }
    return this.openSession(user, client);
  }

  async beginEnrolment(enrolmentToken: string): Promise<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }> {
    const user = await this.userFromChallenge(enrolmentToken, 'enrol');
    if (user.mfaEnabledAt) throw new IdentityException(IdentityExceptionCode.MfaAlreadyEnrolled);
    const enrolment = await this.mfa.beginEnrolment(user);
    await this.record('auth.mfa.enrol_start', 'success', user.id);
    return enrolment;
  }

  async confirmEnrolment(enrolmentToken: string, code: string, client: ClientInfo): Promise<TokenPair & { recoveryCodes: string[] }> {
    const user = await this.userFromChallenge(enrolmentToken, 'enrol');
    if (user.mfaEnabledAt) throw new IdentityException(IdentityExceptionCode.MfaAlreadyEnrolled);
    if (!user.mfaPending) throw new IdentityException(IdentityExceptionCode.MfaNotStarted);
    await this.assertNotLocked(user, client);
    if (!(await this.mfa.confirmEnrolment(user, code))) {
      await this.throttle.failure(user.username, client.ip);
      await this.record('auth.mfa.enrol', 'failure', user.id);
      throw new IdentityException(IdentityExceptionCode.SignInFailed);
    }
    const recoveryCodes = await this.mfa.issueRecoveryCodes(user.id);
    await this.record('auth.mfa.enrol', 'success', user.id);
    return { ...(await this.openSession(user, client)), recoveryCodes };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.sessionService.refresh(refreshToken, async (userId) => {
      const user = await this.users.findById(userId);
      return user && user.status === 'active' && !user.frozenAt ? user.role : null;
    });
    switch (outcome.kind) {
      case 'rotated':
        await this.record('auth.refresh', 'success', outcome.userId, {}, outcome.tokens.sessionId);
        return outcome.tokens;
      case 'reused':
        await this.record('auth.refresh_token_reuse', 'denied', outcome.userId, { revoked: 'session' }, outcome.sessionId);
        throw new IdentityException(IdentityExceptionCode.InvalidToken);
      case 'invalid':
        await this.record('auth.refresh', 'failure', null);
        throw new IdentityException(IdentityExceptionCode.InvalidToken);
    }
  }

  async logout(principal: UserPrincipal): Promise<void> {
    await this.sessions.revoke(principal.sessionId, 'logout');
    await this.record('auth.logout', 'success', principal.userId, {}, principal.sessionId);
  }

  /** Proves password and a fresh TOTP code again; sensitive routes then accept this session for a few minutes. */
  async reauthenticate(principal: UserPrincipal, password: string, code: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AuthException(AuthExceptionCode.Unauthenticated);
    if (await this.throttle.isLocked(user.username, client.ip)) {
      await this.record('auth.reauth', 'failure', user.id, { reason: 'locked' });
      throw new IdentityException(IdentityExceptionCode.ReauthFailed);
    }
    const passwordOk = await this.hasher.verify(user.passwordHash, password);
    const check = passwordOk ? await this.mfa.checkCode(user, code) : { ok: false as const, replay: false };
    if (!check.ok) {
      await this.throttle.failure(user.username, client.ip);
      if (!check.ok && check.replay) await this.record('auth.mfa.replay', 'denied', user.id, { during: 'reauth' });
      await this.record('auth.reauth', 'failure', user.id, { reason: passwordOk ? 'bad_code' : 'bad_password' });
      throw new IdentityException(IdentityExceptionCode.ReauthFailed);
    }
    await this.throttle.success(user.username, client.ip);
    await this.sessions.setReauthenticated(principal.sessionId);
    await this.record('auth.reauth', 'success', user.id, {}, principal.sessionId);
  }

  async changePassword(principal: UserPrincipal, current: string, next: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AuthException(AuthExceptionCode.Unauthenticated);
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      await this.throttle.failure(user.username, client.ip);
      await this.record('auth.password_change', 'failure', user.id, { reason: 'bad_password' });
      throw new IdentityException(IdentityExceptionCode.ReauthFailed);
    }
    const problem = passwordProblem(next, user.username);
    if (problem) throw new IdentityException(IdentityExceptionCode.WeakPassword, `Password ${problem}`);
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(next));
    // Other sessions may belong to whoever knew the old password.
    for (const session of await this.sessions.listActiveForUser(user.id)) {
      if (session.id !== principal.sessionId) await this.sessions.revoke(session.id, 'password_changed');
    }
    await this.record('auth.password_change', 'success', user.id);
  }

  private async requireCode(user: UserRecord, code: string, client: ClientInfo, action: string): Promise<void> {
    const check = await this.mfa.checkCode(user, code);
    if (check.ok) {
      await this.record(action, 'success', user.id);
      return;
    }
    await this.throttle.failure(user.username, client.ip);
    if (check.replay) await this.record('auth.mfa.replay', 'denied', user.id);
    else await this.record(action, 'failure', user.id);
    throw new IdentityException(IdentityExceptionCode.SignInFailed);
  }

  private async openSession(user: UserRecord, client: ClientInfo): Promise<TokenPair> {
    await this.throttle.success(user.username, client.ip);
    const tokens = await this.sessionService.start(user, client.ip, client.userAgent);
    await this.record('auth.login', 'success', user.id, {}, tokens.sessionId);
    return tokens;
  }

  private async userFromChallenge(token: string, purpose: 'verify' | 'enrol'): Promise<UserRecord> {
    const userId = this.tokens.verifyMfaChallenge(token, purpose);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user || user.status !== 'active' || user.frozenAt) {
      await this.record(`auth.mfa.${purpose}`, 'failure', user?.id ?? null, { reason: 'invalid_challenge' });
      throw new IdentityException(IdentityExceptionCode.InvalidToken);
    }
    return user;
  }

  private async assertNotLocked(user: UserRecord, client: ClientInfo): Promise<void> {
    if (await this.throttle.isLocked(user.username, client.ip)) {
      await this.record('auth.login', 'failure', user.id, { reason: 'locked' });
      throw new IdentityException(IdentityExceptionCode.SignInFailed);
    }
  }

  private async assertAddressAllowed(user: { id: string; role: Role }, ip: string | null): Promise<void> {
    const cidrs = await this.ipRules.listForRole(user.role);
    if (cidrs.length > 0 && !ipInRanges(ip, cidrs)) {
      await this.record('auth.login', 'denied', user.id, { reason: 'source_address' });
      throw new IdentityException(IdentityExceptionCode.SourceAddressNotAllowed);
    }
  }

  private record(
    action: string,
    outcome: AuditOutcome,
    userId: string | null,
    details: Record<string, string> = {},
    sessionId?: string,
  ): Promise<void> {
    return this.audit.record({
      action,
      outcome,
      actor: userId ? { type: 'user', id: userId } : { type: 'anonymous' },
      targetType: sessionId ? 'session' : userId ? 'user' : undefined,
      targetId: sessionId ?? userId ?? undefined,
      details,
    });
  }
}
