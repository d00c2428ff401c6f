import { Role } from '@app/domain';
import { KmsCiphertext } from '@app/crypto';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  status: 'active' | 'disabled';
  frozenAt: Date | null;
  mfaSecret: KmsCiphertext | null;
  mfaEnabledAt: Date | null;
  mfaLastStep: number | null;
  mfaPending: KmsCiphertext | null;
  createdAt: Date;
}

export type UserSummary = Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'status' | 'frozenAt' | 'mfaEnabledAt' | 'createdAt'>;

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
}

export abstract class UserRepository {
  abstract findByUsername(username: string): Promise<UserRecord | null>;
  abstract findById(id: string): Promise<UserRecord | null>;
  abstract list(): Promise<UserSummary[]>;
  /** False when the username is taken. */
  abstract create(user: NewUser): Promise<boolean>;
  abstract setStatus(id: string, status: 'active' | 'disabled'): Promise<boolean>;
  abstract updatePasswordHash(id: string, hash: string): Promise<void>;
  abstract setPendingMfa(id: string, secret: KmsCiphertext): Promise<void>;
  /** Makes the pending secret the active one and records the step its first code used. */
  abstract activatePendingMfa(id: string, step: number): Promise<boolean>;
  /**
   * Stores a newly accepted TOTP step, atomically, only if it is later than the last one used.
   * False means the step (and so the code) was already used: a replay.
   */
  abstract claimTotpStep(id: string, step: number): Promise<boolean>;
  abstract clearMfa(id: string): Promise<boolean>;
}
