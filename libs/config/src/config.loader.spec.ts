import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { IsIn, Max, Min } from 'class-validator';
import { ConfigError, loadConfig, loadConfigs } from './config.loader';
import { Env } from './env.decorator';
import { Secret } from './secret';

class SampleConfig {
  @Env('SAMPLE_PORT', { kind: 'int' })
  @Min(1)
  @Max(65535)
  port!: number;

  @Env('SAMPLE_MODE', { default: 'a' })
  @IsIn(['a', 'b'])
  mode!: string;

  @Env('SAMPLE_FLAG', { kind: 'bool', default: false })
  flag!: boolean;

  @Env('SAMPLE_TOKEN', { secret: true, minLength: 16 })
  token!: Secret<string>;
}

const good = { SAMPLE_PORT: '8080', SAMPLE_TOKEN: 'a-very-secret-value-123' };

describe('loadConfig', () => {
  it('reads, converts and defaults', () => {
    const config = loadConfig(SampleConfig, { ...good, SAMPLE_FLAG: 'yes' });
    expect(config.port).toBe(8080);
    expect(config.mode).toBe('a');
    expect(config.flag).toBe(true);
    expect(config.token.reveal()).toBe('a-very-secret-value-123');
  });

  it('names each missing or invalid variable, and every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(SampleConfig, { SAMPLE_PORT: 'eighty', SAMPLE_FLAG: 'maybe' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      'SAMPLE_PORT must be an integer',
      'SAMPLE_FLAG must be true or false',
      'SAMPLE_TOKEN is required',
    ]);
  });

  it('reports validation constraints with the variable name', () => {
    expect(() => loadConfig(SampleConfig, { ...good, SAMPLE_PORT: '70000', SAMPLE_MODE: 'c' })).toThrow(
      /SAMPLE_PORT must not be greater than 65535[\s\S]*SAMPLE_MODE must be one of the following values: a, b/,
    );
  });

  it('never puts a secret value in a message, a log line or JSON', () => {
    const short = 'shortsecret';
    try {
      loadConfig(SampleConfig, { SAMPLE_PORT: '1', SAMPLE_TOKEN: short });
      throw new Error('should have failed');
    } catch (e) {
      expect((e as Error).message).toContain('SAMPLE_TOKEN must be at least 16 characters');
      expect((e as Error).message).not.toContain(short);
    }
    const config = loadConfig(SampleConfig, good);
    const shown = [String(config.token), JSON.stringify(config), inspect(config), `${config.token}`].join(' ');
    expect(shown).not.toContain(good.SAMPLE_TOKEN);
    expect(shown).toContain('[redacted]');
  });

  it('reads secrets from NAME_FILE, and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'from-a-file-secret-value\n', { mode: 0o600 });
    expect(loadConfig(SampleConfig, { SAMPLE_PORT: '1', SAMPLE_TOKEN_FILE: file }).token.reveal()).toBe('from-a-file-secret-value');
    expect(() => loadConfig(SampleConfig, { ...good, SAMPLE_TOKEN_FILE: file })).toThrow(/SAMPLE_TOKEN and SAMPLE_TOKEN_FILE are both set/);
    expect(() => loadConfig(SampleConfig, { SAMPLE_PORT: '1', SAMPLE_TOKEN_FILE: join(dir, 'missing') })).toThrow(
      /SAMPLE_TOKEN_FILE names a file that cannot be read/,
    );
  });

  it('loadConfigs gathers the problems of several classes', () => {
    class Other {
      @Env('OTHER_NAME')
      name!: string;
    }
    expect(() => loadConfigs({ sample: SampleConfig, other: Other }, {})).toThrow(
      /SAMPLE_PORT is required[\s\S]*SAMPLE_TOKEN is required[\s\S]*OTHER_NAME is required/,
    );
  });
});
