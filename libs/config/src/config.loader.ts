import { readFileSync } from 'node:fs';
import { validateSync, ValidationError } from 'class-validator';
import { EnvField, envFieldsOf } from './env.decorator';
import { Secret } from './secret';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads, converts and validates one typed configuration class from the environment, once, at boot.
 * Every problem names the variable; no message ever contains a value, so secrets cannot leak through it.
 */
export function loadConfig<T extends object>(cls: new () => T, env: Env = process.env): T {
  const config = new cls() as Record<string, unknown>;
  const problems: string[] = [];
  const byProperty = new Map<string, EnvField>();

  for (const field of envFieldsOf(cls)) {
    byProperty.set(field.property, field);
    const raw = readRaw(field, env, problems);
    if (raw === undefined) {
      if (field.default === undefined) {
        problems.push(`${field.name} is required${field.describe ? ` (${field.describe})` : ''}`);
        continue;
      }
      config[field.property] = field.secret ? new Secret(field.default) : field.default;
      continue;
    }
    const converted = convert(field, raw);
    if (converted.error) {
      problems.push(`${field.name} ${converted.error}`);
      continue;
    }
    if (field.minLength !== undefined && typeof converted.value === 'string' && converted.value.length < field.minLength) {
      problems.push(`${field.name} must be at least ${field.minLength} characters`);
      continue;
    }
    const checked = field.check?.(converted.value) ?? null;
    if (checked) {
      problems.push(`${field.name} ${checked}`);
      continue;
    }
    config[field.property] = field.secret ? new Secret(converted.value) : converted.value;
  }

  if (problems.length === 0) {
    for (const error of validateSync(config, { forbidUnknownValues: false })) {
      problems.push(...describe(error, byProperty));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as T;
}

function readRaw(field: EnvField, env: Env, problems: string[]): string | undefined {
  const fileVar = `${field.name}_FILE`;
  const direct = env[field.name];
  const file = env[fileVar];
  if (direct !== undefined && direct !== '' && file) {
    problems.push(`${field.name} and ${fileVar} are both set; set only one`);
    return undefined;
  }
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      problems.push(`${fileVar} names a file that cannot be read`);
      return undefined;
    }
  }
  return direct === '' ? undefined : direct;
}

function convert(field: EnvField, raw: string): { value?: unknown; error?: string } {
  switch (field.kind ?? 'string') {
    case 'string':
      return { value: raw };
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) return { error: 'must be an integer' };
      return { value: Number.parseInt(raw, 10) };
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return { value: true };
      if (['0', 'false', 'no', 'off'].includes(v)) return { value: false };
      return { error: 'must be true or false' };
    }
    case 'list':
      return { value: raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0) };
    case 'json':
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { error: 'must be valid JSON' };
      }
  }
}

function describe(error: ValidationError, byProperty: Map<string, EnvField>): string[] {
  const field = byProperty.get(error.property);
  const name = field?.name ?? error.property;
  // class-validator messages start with the property name; say the variable's name instead.
  return Object.values(error.constraints ?? {}).map(
    (message) => `${name} ${message.replace(new RegExp(`^${error.property}\\s*`), '')}`,
  );
}

type ConfigClasses = Record<string, new () => object>;
type LoadedConfigs<T extends ConfigClasses> = { [K in keyof T]: InstanceType<T[K]> };

/** Loads several configuration classes and reports every problem of all of them in one error. */
export function loadConfigs<T extends ConfigClasses>(classes: T, env: Env = process.env): LoadedConfigs<T> {
  const result: Record<string, object> = {};
  const problems: string[] = [];
  for (const [key, cls] of Object.entries(classes)) {
    try {
      result[key] = loadConfig(cls, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return result as LoadedConfigs<T>;
}
