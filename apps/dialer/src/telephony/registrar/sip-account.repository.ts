import { Secret } from '@app/config';
import { SealedSecret } from '../sealed-secret';

/** An agent's softphone credentials with what the registrar must know of the user behind them. */
export interface SipAccount {
  userId: string;
  username: string;
  /** Opened only to verify a digest. */
  secret: SealedSecret;
  role: string;
  /** users.status is 'active'. */
  active: boolean;
  /** The anomaly detector froze the account (users.frozen_at set). */
  frozen: boolean;
}

export interface SipAccountSummary {
  userId: string;
  username: string;
  createdAt: Date;
  rotatedAt: Date | null;
}

/** SIP usernames: what every phone accepts, and what the ascii column holds. */
export const SIP_USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

/**
 * Softphone credentials (table agent_sip_accounts). The digest needs the secret itself, so it is
 * stored encrypted by the KMS (key 'dialer-secrets', the user id in the context), generated here and
 * shown once: create() and rotate() return it, nothing else ever does.
 */
export abstract class SipAccountRepository {
  abstract findByUsername(username: string): Promise<SipAccount | null>;
  abstract findByUserId(userId: string): Promise<SipAccountSummary | null>;
  /**
   * Creates the user's account with a fresh secret. Throws DialerException(SipUsernameTaken) when the
   * username is in use or the user already has one, DialerException(NotFound) when there is no such user.
   */
  abstract create(userId: string, username: string): Promise<Secret<string>>;
  /** A fresh secret for the user's account; null when the user has none. */
  abstract rotate(userId: string): Promise<Secret<string> | null>;
  abstract delete(userId: string): Promise<boolean>;
}
