import { randomBytes } from 'node:crypto';
import { AuthConfig } from '@app/auth';
import { Secret } from '@app/config';
import { KmsConfig } from '@app/crypto';
import { DatabaseConfig } from '@app/database';
import { HttpConfig } from '@app/http';
import { PlatformConfig } from '@app/platform';

/** Shared by every app in one test, as in production, so tokens minted by one are accepted by another. */
export function testAuthConfig(): AuthConfig {
  return {
    jwtSecret: new Secret(randomBytes(32).toString('base64')),
    serviceTokenSecret: new Secret(randomBytes(32).toString('base64')),
    accessTokenTtlSeconds: 600,
    reauthWindowSeconds: 300,
  };
}

export function testHttpConfig(): HttpConfig {
  return {
    nodeEnv: 'test',
    httpHost: '127.0.0.1',
    httpPort: 0,
    tlsCertFile: '',
    tlsKeyFile: '',
    tlsDisabled: true,
    // Tests speak from loopback and set X-Forwarded-For to play clients at other addresses.
    trustProxy: ['loopback'],
    docsEnabled: true,
    rateLimitPerMinute: 100_000,
  };
}

export function testKmsConfig(): KmsConfig {
  return { kmsMasterKey: new Secret(randomBytes(32).toString('base64')) };
}

export function testPlatformConfig(database: DatabaseConfig, auth = testAuthConfig()): PlatformConfig {
  return { http: testHttpConfig(), database, auth };
}
