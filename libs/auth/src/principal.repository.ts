import { Role } from '@app/domain';

export interface SessionPrincipalRow {
  userId: string;
  role: Role;
  userStatus: 'active' | 'disabled';
  frozenAt: Date | null;
  sessionId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  reauthAt: Date | null;
}

/** What the guard needs to know, on every request, about the session a token claims. */
export abstract class PrincipalRepository {
  abstract findSession(sessionId: string, userId: string): Promise<SessionPrincipalRow | null>;
  /** CIDR ranges a role is restricted to; empty means unrestricted. */
  abstract findRoleCidrs(role: Role): Promise<string[]>;
  /** Records activity, at most once a minute per session so reads stay cheap. */
  abstract touchSession(sessionId: string): Promise<void>;
}
