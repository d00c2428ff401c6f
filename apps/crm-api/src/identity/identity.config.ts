import { Max, Min } from 'class-validator';
import { Env } from '@app/config';

/** Sign-in policy. The bounds are the security floor: configuration can tighten, never loosen. */
export class IdentityConfig {
  @Env('AUTH_LOCKOUT_THRESHOLD', { kind: 'int', default: 5 })
  @Min(1)
  @Max(5)
  lockoutThreshold!: number;

  @Env('AUTH_LOCKOUT_MINUTES', { kind: 'int', default: 15 })
  @Min(15)
  @Max(1440)
  lockoutMinutes!: number;

  @Env('AUTH_MAX_FAILURES_PER_HOUR', { kind: 'int', default: 100 })
  @Min(1)
  @Max(100)
  maxFailuresPerHour!: number;

  @Env('AUTH_SESSION_MAX_HOURS', { kind: 'int', default: 12 })
  @Min(1)
  @Max(168)
  sessionMaxHours!: number;

  @Env('MFA_ISSUER', { default: 'CallCenter' })
  mfaIssuer!: string;
}
