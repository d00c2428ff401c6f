import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { authenticator } from 'otplib';
import * as QRCode from 'qrcode';
import { base32Encode, KmsCiphertext, KmsRepository, matchTotp } from '@app/crypto';
import { Clock } from '@app/domain';
import { IdentityConfig } from './identity.config';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { UserRecord, UserRepository } from './user.repository';

export const MFA_KEY_ID = 'identity';
export const RECOVERY_CODE_COUNT = 10;

export type TotpCheck = { ok: true; step: number } | { ok: false; replay: boolean };

/**
 * TOTP secrets are created here, encrypted by the KMS with the user's id in the context, and only
 * decrypted for the moment of a check. A code is accepted once: its time step must be later than
 * the last step this user used.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly users: UserRepository,
    private readonly recoveryCodes: RecoveryCodeRepository,
    private readonly kms: KmsRepository,
    private readonly clock: Clock,
    private readonly config: IdentityConfig,
  ) {}

  /** Starts (or restarts) enrolment: a new pending secret, and what the authenticator app needs. */
  async beginEnrolment(user: UserRecord): Promise<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }> {
    const secret = randomBytes(20);
    try {
      await this.users.setPendingMfa(user.id, await this.kms.encrypt(MFA_KEY_ID, secret, context(user.id)));
      const base32 = base32Encode(secret);
      const otpauthUri = authenticator.keyuri(user.username, this.config.mfaIssuer, base32);
      return { otpauthUri, qrCodeDataUrl: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M' }), secret: base32 };
    } finally {
      secret.fill(0);
    }
  }

  /** Checks the first code against the pending secret and, when right, makes MFA active. */
  async confirmEnrolment(user: UserRecord, code: string): Promise<boolean> {
    if (!user.mfaPending) return false;
    const step = await this.match(user.id, user.mfaPending, code);
    if (step === null) return false;
    return this.users.activatePendingMfa(user.id, step);
  }

  async checkCode(user: UserRecord, code: string): Promise<TotpCheck> {
    if (!user.mfaSecret) return { ok: false, replay: false };
    const step = await this.match(user.id, user.mfaSecret, code);
    if (step === null) return { ok: false, replay: false };
    if (await this.users.claimTotpStep(user.id, step)) return { ok: true, step };
    return { ok: false, replay: true };
  }

  /** Ten fresh single-use codes, shown once; only their SHA-256 is stored (they carry 64 random bits). */
  async issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      (randomBytes(8).toString('hex').match(/.{4}/g) as string[]).join('-'),
    );
    await this.recoveryCodes.replaceAll(userId, codes.map(hashRecoveryCode));
    return codes;
  }

  useRecoveryCode(userId: string, code: string): Promise<boolean> {
    return this.recoveryCodes.consume(userId, hashRecoveryCode(code));
  }

  private async match(userId: string, ciphertext: KmsCiphertext, code: string): Promise<number | null> {
    const secret = await this.kms.decrypt(ciphertext, context(userId));
    try {
      return matchTotp(secret, code, this.clock.now().getTime());
    } finally {
      secret.fill(0);
    }
  }
}

function context(userId: string): string {
  return `users:${userId}:mfa_secret`;
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[^0-9a-f]/g, '')).digest('hex');
}
