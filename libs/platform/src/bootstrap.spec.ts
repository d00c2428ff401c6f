import { bootstrap } from './bootstrap';
import { loadPlatformConfig } from './platform.config';

describe('bootstrap', () => {
  it('stops the process at boot with a message naming each bad variable, and no value', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const env = { HTTP_PORT: 'not-a-port', DB_USER: 'u', JWT_SECRET: 'too-short-secret-value' };
      await expect(
        bootstrap('dialer', () => {
          const config = loadPlatformConfig({}, env);
          throw new Error(`unreachable ${String(config)}`);
        }),
      ).rejects.toThrow('exit 78');
      const written = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toContain('dialer: Invalid configuration');
      expect(written).toContain('HTTP_PORT must be an integer');
      expect(written).toContain('DB_NAME is required');
      expect(written).toContain('JWT_SECRET must be at least 32 characters');
      expect(written).toContain('SERVICE_TOKEN_SECRET is required');
      expect(written).not.toContain('too-short-secret-value');
      expect(exit).toHaveBeenCalledWith(78);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
