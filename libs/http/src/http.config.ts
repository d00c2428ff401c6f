import { IsIn, Max, Min } from 'class-validator';
import { Env } from '@app/config';

/** How an app listens. TLS is on unless explicitly disabled (behind a TLS-terminating proxy). */
export class HttpConfig {
  @Env('NODE_ENV', { default: 'production' })
  @IsIn(['production', 'development', 'test'])
  nodeEnv!: 'production' | 'development' | 'test';

  @Env('HTTP_HOST', { default: '127.0.0.1' })
  httpHost!: string;

  @Env('HTTP_PORT', { kind: 'int', describe: 'the TCP port this app listens on' })
  @Min(1)
  @Max(65535)
  httpPort!: number;

  @Env('TLS_CERT_FILE', { default: '', describe: 'a PEM certificate chain' })
  tlsCertFile!: string;

  @Env('TLS_KEY_FILE', { default: '', describe: 'the PEM private key of TLS_CERT_FILE' })
  tlsKeyFile!: string;

  @Env('TLS_DISABLED', { kind: 'bool', default: false })
  tlsDisabled!: boolean;

  /** Addresses of reverse proxies whose X-Forwarded-For is believed; empty means none. */
  @Env('TRUST_PROXY', { kind: 'list', default: [] })
  trustProxy!: string[];

  @Env('DOCS_ENABLED', { kind: 'bool', default: true })
  docsEnabled!: boolean;

  /** Requests per minute per source address, across all routes. */
  @Env('RATE_LIMIT_PER_MINUTE', { kind: 'int', default: 600 })
  @Min(1)
  rateLimitPerMinute!: number;
}

/** Fails at boot when TLS is on but its files were not given. */
export function tlsProblems(config: HttpConfig): string[] {
  if (config.tlsDisabled) return [];
  const problems: string[] = [];
  if (!config.tlsCertFile) problems.push('TLS_CERT_FILE is required unless TLS_DISABLED=true');
  if (!config.tlsKeyFile) problems.push('TLS_KEY_FILE is required unless TLS_DISABLED=true');
  return problems;
}
