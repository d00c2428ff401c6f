import { randomBytes } from 'node:crypto';
import { ConfigError } from '@app/config';
import { loadCrmApiConfig } from './crm-api.config';

const valid = {
  HTTP_PORT: '8443',
  TLS_DISABLED: 'true',
  DB_USER: 'callcenter',
  DB_NAME: 'callcenter',
  DB_PASSWORD: 'db-password-value',
  JWT_SECRET: randomBytes(32).toString('base64'),
  SERVICE_TOKEN_SECRET: randomBytes(32).toString('base64'),
  KMS_MASTER_KEY: randomBytes(32).toString('base64'),
  BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadCrmApiConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('crm-api configuration at boot', () => {
  it('accepts a complete environment', () => {
    expect(problems(valid)).toEqual([]);
  });

  it('names the missing and invalid variables, without their values', () => {
    const { JWT_SECRET: _omit, ...withoutJwt } = valid;
    const found = problems({ ...withoutJwt, KMS_MASTER_KEY: 'not-base64-and-short', DB_PORT: 'x', AUTH_LOCKOUT_MINUTES: '5' });
    expect(found).toEqual(
      expect.arrayContaining([
        'DB_PORT must be an integer',
        expect.stringMatching(/^JWT_SECRET is required/),
        'KMS_MASTER_KEY must be base64 of at least 32 random bytes',
        'AUTH_LOCKOUT_MINUTES must not be less than 15',
      ]),
    );
    expect(found.join('\n')).not.toContain('not-base64-and-short');
    expect(found.join('\n')).not.toContain(valid.DB_PASSWORD);
  });

  it('requires TLS files unless TLS is explicitly disabled', () => {
    const { TLS_DISABLED: _off, ...withTls } = valid;
    expect(problems(withTls)).toEqual([
      'TLS_CERT_FILE is required unless TLS_DISABLED=true',
      'TLS_KEY_FILE is required unless TLS_DISABLED=true',
    ]);
  });

  it('refuses lockout policies weaker than the floor and tokens longer than 15 minutes', () => {
    expect(problems({ ...valid, AUTH_LOCKOUT_THRESHOLD: '10', AUTH_MAX_FAILURES_PER_HOUR: '500', AUTH_ACCESS_TOKEN_TTL_SECONDS: '3600' })).toEqual(
      expect.arrayContaining([
        'AUTH_LOCKOUT_THRESHOLD must not be greater than 5',
        'AUTH_MAX_FAILURES_PER_HOUR must not be greater than 100',
        'AUTH_ACCESS_TOKEN_TTL_SECONDS must not be greater than 900',
      ]),
    );
  });
});
