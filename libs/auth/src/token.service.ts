import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { Role, ServiceName } from '@app/domain';
import { AuthConfig } from './auth.config';

export const USER_AUDIENCE = 'callcenter';
export const MFA_AUDIENCE = 'callcenter-mfa';
export const USER_ISSUER = ServiceName.CrmApi;

export interface AccessTokenClaims {
  typ: 'access';
  sub: string;
  sid: string;
  role: Role;
}

export type MfaPurpose = 'verify' | 'enrol';

export interface MfaChallengeClaims {
  typ: 'mfa';
  sub: string;
  purpose: MfaPurpose;
}

export interface ServiceTokenClaims {
  typ: 'service';
  sub: ServiceName;
  aud: ServiceName;
}

const MFA_CHALLENGE_TTL_SECONDS = 300;
const SERVICE_TOKEN_TTL_SECONDS = 60;

/**
 * Signs and checks the platform's three kinds of token, each with its own type claim and audience so
 * one can never stand in for another: access tokens (users, short-lived), MFA challenge tokens
 * (between the password and the code), and service tokens (one app calling another).
 */
export class TokenService {
  private readonly userJwt: JwtService;
  private readonly serviceJwt: JwtService;
  // Key objects made once: given a string, jsonwebtoken builds one on every verify (and tries
  // createPublicKey first), which was the largest CPU item of an authenticated request.
  private readonly verifyKeys: Record<'access' | 'service', KeyObject>;

  constructor(private readonly config: AuthConfig) {
    this.userJwt = new JwtService({ secret: config.jwtSecret.reveal(), signOptions: { algorithm: 'HS256' } });
    this.serviceJwt = new JwtService({ secret: config.serviceTokenSecret.reveal(), signOptions: { algorithm: 'HS256' } });
    this.verifyKeys = {
      access: createSecretKey(Buffer.from(config.jwtSecret.reveal(), 'utf8')),
      service: createSecretKey(Buffer.from(config.serviceTokenSecret.reveal(), 'utf8')),
    };
  }

  get accessTokenTtlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  issueAccessToken(userId: string, sessionId: string, role: Role): string {
    const claims: AccessTokenClaims = { typ: 'access', sub: userId, sid: sessionId, role };
    return this.userJwt.sign(claims, {
      expiresIn: this.config.accessTokenTtlSeconds,
      audience: USER_AUDIENCE,
      issuer: USER_ISSUER,
      jwtid: randomUUID(),
    });
  }

  issueMfaChallenge(userId: string, purpose: MfaPurpose): string {
    const claims: MfaChallengeClaims = { typ: 'mfa', sub: userId, purpose };
    return this.userJwt.sign(claims, {
      expiresIn: MFA_CHALLENGE_TTL_SECONDS,
      audience: MFA_AUDIENCE,
      issuer: USER_ISSUER,
      jwtid: randomUUID(),
    });
  }

  /** The user id a challenge token was issued to, or null when it is invalid, expired or for another purpose. */
  verifyMfaChallenge(token: string, purpose: MfaPurpose): string | null {
    try {
      const claims = this.userJwt.verify<MfaChallengeClaims & { aud: string }>(token, {
        algorithms: ['HS256'],
        audience: MFA_AUDIENCE,
        issuer: USER_ISSUER,
      });
      return claims.typ === 'mfa' && claims.purpose === purpose && typeof claims.sub === 'string' ? claims.sub : null;
    } catch {
      return null;
    }
  }

  issueServiceToken(from: ServiceName, to: ServiceName): string {
    return this.serviceJwt.sign({ typ: 'service' }, {
      expiresIn: SERVICE_TOKEN_TTL_SECONDS,
      subject: from,
      audience: to,
      issuer: from,
      jwtid: randomUUID(),
    });
  }

  /** The key that verifies a token of the given type; used by the passport strategy. */
  keyFor(typ: unknown): KeyObject | null {
    if (typ === 'access' || typ === 'service') return this.verifyKeys[typ];
    return null;
  }
}
