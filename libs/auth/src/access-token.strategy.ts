import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ALL_SERVICES, Role, ServiceName } from '@app/domain';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { Principal } from './principal';
import { PrincipalRepository } from './principal.repository';
import { TokenService, USER_AUDIENCE, USER_ISSUER } from './token.service';

export const ACCESS_STRATEGY = 'access-token';
export const SELF_SERVICE = Symbol('SELF_SERVICE');
/** Set on the request by the guard: the app a service token must be addressed to. */
export const EXPECTED_AUDIENCE = Symbol('EXPECTED_AUDIENCE');

interface Claims {
  typ?: unknown;
  sub?: unknown;
  sid?: unknown;
  aud?: unknown;
  iss?: unknown;
}

/**
 * Bearer tokens through passport-jwt: the signature and expiry are checked by the library, then the
 * session is looked up on every request, so a revoked session, a disabled user or a frozen account
 * loses access at once, not when the token expires.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_STRATEGY) {
  constructor(
    tokens: TokenService,
    private readonly principals: PrincipalRepository,
    @Inject(SELF_SERVICE) private readonly self: ServiceName,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
      secretOrKeyProvider: (_req: Request, rawJwt: string, done: (err: unknown, secret?: Buffer) => void) => {
        const secret = tokens.keyFor(decodeClaims(rawJwt)?.typ);
        // jsonwebtoken takes a KeyObject as is (verify.js); passport-jwt's types only name string | Buffer.
        if (secret) done(null, secret as unknown as Buffer);
        else done(new AuthException(AuthExceptionCode.Unauthenticated));
      },
    });
  }

  async validate(req: Request, claims: Claims): Promise<Principal> {
    if (claims.typ === 'service') {
      const audience = (req as Request & { [EXPECTED_AUDIENCE]?: ServiceName })[EXPECTED_AUDIENCE] ?? this.self;
      if (claims.aud !== audience || !ALL_SERVICES.includes(claims.sub as ServiceName) || claims.iss !== claims.sub) {
        throw new AuthException(AuthExceptionCode.Unauthenticated);
      }
      return { kind: 'service', service: claims.sub as ServiceName };
    }
    if (claims.typ !== 'access' || claims.aud !== USER_AUDIENCE || claims.iss !== USER_ISSUER) {
      throw new AuthException(AuthExceptionCode.Unauthenticated);
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      throw new AuthException(AuthExceptionCode.Unauthenticated);
    }
    const row = await this.principals.findSession(claims.sid, claims.sub);
    const now = Date.now();
    if (!row || row.revokedAt || row.expiresAt.getTime() <= now || row.userStatus !== 'active') {
      throw new AuthException(AuthExceptionCode.Unauthenticated);
    }
    if (row.frozenAt) throw new AuthException(AuthExceptionCode.AccountFrozen);
    await this.principals.touchSession(row.sessionId);
    return { kind: 'user', userId: row.userId, role: row.role as Role, sessionId: row.sessionId, reauthAt: row.reauthAt };
  }
}

function decodeClaims(rawJwt: string): Claims | null {
  try {
    return JSON.parse(Buffer.from(rawJwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Claims;
  } catch {
    return null;
  }
}
