import { join, sep } from 'node:path';
import { ConfigError, Env, loadConfigs } from '@app/config';
import { HttpConfig, tlsProblems } from '@app/http';

const BASE_URL = /^https?:\/\/[A-Za-z0-9.\-[\]:]+(:\d{1,5})?$/;
const baseUrl = (value: unknown) => (typeof value === 'string' && BASE_URL.test(value) ? null : 'must be an http(s) base URL without a path');

/** Where the console's pages are and which apps it forwards /api/<app>/ to. */
export class ConsoleConfig {
  @Env('CRM_API_URL', { default: 'https://127.0.0.1:8443', check: baseUrl })
  crmApiUrl!: string;

  @Env('RECORDING_URL', { default: 'https://127.0.0.1:8445', check: baseUrl })
  recordingUrl!: string;

  @Env('DIALER_URL', { default: 'https://127.0.0.1:8444', check: baseUrl })
  dialerUrl!: string;

  /** PEM bundle of the CA that signed the apps' certificates (dev: the self-signed one); empty: the system's. */
  @Env('UPSTREAM_CA_FILE', { default: '' })
  upstreamCaFile!: string;

  /** The built single-page app (vite build output). */
  @Env('CONSOLE_WEB_DIR', { default: defaultWebDir() })
  webDir!: string;
}

export interface ConsoleAppConfig {
  http: HttpConfig;
  console: ConsoleConfig;
}

/** <repo>/dist/console-web, whether this runs compiled (dist/apps/console/src) or from the sources (tests). */
export function defaultWebDir(): string {
  const compiled = __dirname.split(sep).slice(-4, -2).join('/') === 'dist/apps';
  return join(__dirname, ...(compiled ? ['..', '..', '..', '..'] : ['..', '..', '..']), 'dist', 'console-web');
}

export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleAppConfig {
  const config = loadConfigs({ http: HttpConfig, console: ConsoleConfig }, env) as unknown as ConsoleAppConfig;
  const problems = tlsProblems(config.http);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
