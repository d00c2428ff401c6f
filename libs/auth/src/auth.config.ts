import { Max, Min } from 'class-validator';
import { Env, Secret } from '@app/config';

/** Token settings every app shares: crm-api signs user tokens, every app verifies them. */
export class AuthConfig {
  @Env('JWT_SECRET', { secret: true, minLength: 32, describe: 'signs user access tokens' })
  jwtSecret!: Secret<string>;

  @Env('SERVICE_TOKEN_SECRET', { secret: true, minLength: 32, describe: 'signs tokens between the apps' })
  serviceTokenSecret!: Secret<string>;

  @Env('AUTH_ACCESS_TOKEN_TTL_SECONDS', { kind: 'int', default: 600 })
  @Min(60)
  @Max(900)
  accessTokenTtlSeconds!: number;

  @Env('AUTH_REAUTH_WINDOW_SECONDS', { kind: 'int', default: 300 })
  @Min(30)
  @Max(900)
  reauthWindowSeconds!: number;
}
