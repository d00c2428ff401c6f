import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TokenService } from '@app/auth';
import { Clock, Role } from '@app/domain';
import { IdentityConfig } from './identity.config';
import { SessionRepository } from './session.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  sessionId: string;
}

export type RefreshOutcome =
  | { kind: 'rotated'; tokens: TokenPair; userId: string }
  | { kind: 'invalid' }
  | { kind: 'reused'; sessionId: string; userId: string };

/**
 * A session is a family of rotating refresh tokens. Each refresh token works once; presenting one
 * that was already rotated means it was copied, so the whole family is revoked.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly config: IdentityConfig,
  ) {}

  async start(user: { id: string; role: Role }, sourceIp: string | null, userAgent: string | null): Promise<TokenPair> {
    const sessionId = randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionMaxHours * 3_600_000);
    await this.sessions.create({ id: sessionId, userId: user.id, expiresAt, sourceIp, userAgent });
    // Signing in proves password and code: that counts as a fresh re-authentication.
    await this.sessions.setReauthenticated(sessionId);
    return this.issue(user, sessionId, expiresAt);
  }

  async refresh(refreshToken: string, currentRole: (userId: string) => Promise<Role | null>): Promise<RefreshOutcome> {
    const found = await this.sessions.findRefreshToken(hashToken(refreshToken));
    if (!found) return { kind: 'invalid' };
    const now = this.clock.now().getTime();
    if (found.rotatedAt || !(await this.sessions.markRotated(found.id))) {
      await this.sessions.revoke(found.sessionId, 'refresh_token_reuse');
      return { kind: 'reused', sessionId: found.sessionId, userId: found.userId };
    }
    if (found.sessionRevokedAt || found.sessionExpiresAt.getTime() <= now || found.expiresAt.getTime() <= now) {
      return { kind: 'invalid' };
    }
    const role = await currentRole(found.userId);
    if (!role) {
      await this.sessions.revoke(found.sessionId, 'user_inactive');
      return { kind: 'invalid' };
    }
    const tokens = await this.issue({ id: found.userId, role }, found.sessionId, found.sessionExpiresAt);
    return { kind: 'rotated', tokens, userId: found.userId };
  }

  private async issue(user: { id: string; role: Role }, sessionId: string, expiresAt: Date): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.addRefreshToken({ id: randomUUID(), sessionId, tokenHash: hashToken(refreshToken), expiresAt });
    return {
      accessToken: this.tokens.issueAccessToken(user.id, sessionId, user.role),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTokenTtlSeconds,
      sessionId,
    };
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
