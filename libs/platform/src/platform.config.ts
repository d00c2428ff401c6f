import { AuthConfig } from '@app/auth';
import { ConfigError, loadConfigs } from '@app/config';
import { DatabaseConfig } from '@app/database';
import { HttpConfig, tlsProblems } from '@app/http';

type Env = Record<string, string | undefined>;
type Classes = Record<string, new () => object>;
type Loaded<T extends Classes> = { [K in keyof T]: InstanceType<T[K]> };

export interface PlatformConfig {
  http: HttpConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
}

/**
 * Loads what every app needs plus the app's own classes, and cross-checks; one error lists every
 * problem, naming variables only.
 */
export function loadPlatformConfig<T extends Classes>(
  extra: T,
  env: Env = process.env,
  check: (config: PlatformConfig & Loaded<T>) => string[] = () => [],
): PlatformConfig & Loaded<T> {
  const config = loadConfigs({ http: HttpConfig, database: DatabaseConfig, auth: AuthConfig, ...extra }, env) as unknown as PlatformConfig &
    Loaded<T>;
  const problems = [...tlsProblems(config.http), ...check(config)];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
