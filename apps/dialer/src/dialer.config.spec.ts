import { randomBytes } from 'node:crypto';
import { ConfigError } from '@app/config';
import { loadDialerConfig } from './dialer.config';

const valid = {
  HTTP_PORT: '8444',
  TLS_DISABLED: 'true',
  DB_USER: 'callcenter',
  DB_NAME: 'callcenter',
  JWT_SECRET: randomBytes(32).toString('base64'),
  SERVICE_TOKEN_SECRET: randomBytes(32).toString('base64'),
  KMS_MASTER_KEY: randomBytes(32).toString('base64'),
  DRACHTIO_SECRET: 'drachtio-admin-secret',
};

describe('dialer configuration at boot', () => {
  it('gives typed defaults (a list of transports, a boolean), as the app uses them', () => {
    const config = loadDialerConfig(valid);
    expect(config.drachtio.agentTransports).toEqual(['tls']);
    expect(config.runtime.runnerEnabled).toBe(true);
    expect(config.runtime.agentWaitSeconds).toBe(2);
    expect(String(config.drachtio.drachtioSecret)).not.toContain('drachtio-admin-secret');
  });

  it('reads lists and refuses a transport it does not know', () => {
    expect(loadDialerConfig({ ...valid, SIP_AGENT_TRANSPORTS: 'tls,udp' }).drachtio.agentTransports).toEqual(['tls', 'udp']);
    try {
      loadDialerConfig({ ...valid, SIP_AGENT_TRANSPORTS: 'tls,smoke' });
      throw new Error('accepted an unknown transport');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
    }
  });

  it('requires the drachtio secret', () => {
    const { DRACHTIO_SECRET: _omitted, ...rest } = valid;
    expect(() => loadDialerConfig(rest)).toThrow(ConfigError);
  });
});
