export interface SessionInfo {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}

export interface RefreshTokenInfo {
  id: string;
  sessionId: string;
  userId: string;
  rotatedAt: Date | null;
  expiresAt: Date;
  sessionRevokedAt: Date | null;
  sessionExpiresAt: Date;
}

/** Sessions are token families: every refresh token of a session belongs to it. */
export abstract class SessionRepository {
  abstract create(session: { id: string; userId: string; expiresAt: Date; sourceIp: string | null; userAgent: string | null }): Promise<void>;
  abstract addRefreshToken(token: { id: string; sessionId: string; tokenHash: string; expiresAt: Date }): Promise<void>;
  abstract findRefreshToken(tokenHash: string): Promise<RefreshTokenInfo | null>;
  /** Marks a refresh token used, atomically; false when it had already been used (a reuse). */
  abstract markRotated(tokenId: string): Promise<boolean>;
  abstract revoke(sessionId: string, reason: string): Promise<boolean>;
  abstract revokeAllForUser(userId: string, reason: string): Promise<number>;
  abstract setReauthenticated(sessionId: string): Promise<void>;
  abstract findById(sessionId: string): Promise<SessionInfo | null>;
  abstract listActiveForUser(userId: string): Promise<SessionInfo[]>;
  abstract listActive(limit: number): Promise<SessionInfo[]>;
}
