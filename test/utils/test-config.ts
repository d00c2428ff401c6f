import { randomBytes } from 'node:crypto';
import { AuthConfig } from '@app/auth';
import { Secret } from '@app/config';
import { KmsConfig } from '@app/crypto';
import { DatabaseConfig } from '@app/database';
import { HttpConfig } from '@app/http';
import { PlatformConfig } from '@app/platform';
import {
  DialerConfig,
  DialerPeersConfig,
  DialerRuntimeConfig,
  DrachtioConfig,
  RtpengineConfig,
} from '../../apps/dialer/src/dialer.config';

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

/**
 * The dialer's configuration for tests: by default no pacing loop, and drachtio and rtpengine on
 * closed loopback ports (the app boots and reports them down); SIP tests point them at real ones.
 */
export function testDialerConfig(platform: PlatformConfig, overrides: {
  drachtio?: Partial<DrachtioConfig>;
  rtpengine?: Partial<RtpengineConfig>;
  runtime?: Partial<DialerRuntimeConfig>;
  peers?: Partial<DialerPeersConfig>;
  kms?: KmsConfig;
} = {}): DialerConfig {
  return {
    ...platform,
    kms: overrides.kms ?? testKmsConfig(),
    drachtio: Object.assign(new DrachtioConfig(), {
      drachtioHost: '127.0.0.1',
      drachtioPort: 9,
      drachtioSecret: new Secret('not-a-real-drachtio'),
      sipRealm: 'test.local',
      agentTransports: ['tls'],
      ...overrides.drachtio,
    }),
    rtpengine: Object.assign(new RtpengineConfig(), { rtpengineHost: '127.0.0.1', rtpenginePort: 9, agentMedia: 'srtp-sdes', abandonMessageFile: '', ...overrides.rtpengine }),
    runtime: Object.assign(new DialerRuntimeConfig(), {
      instanceId: `test-${randomBytes(4).toString('hex')}`,
      tickMs: 200,
      ringTimeoutSeconds: 20,
      agentWaitSeconds: 2,
      wrapUpSeconds: 5,
      abandonLockoutHours: 72,
      runnerEnabled: false,
      ...overrides.runtime,
    }),
    peers: Object.assign(new DialerPeersConfig(), { crmApiUrl: 'http://127.0.0.1:9', recordingApiUrl: 'http://127.0.0.1:9', peerCaFile: '', ...overrides.peers }),
  };
}
