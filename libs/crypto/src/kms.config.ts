import { Env, Secret } from '@app/config';

/**
 * The local KMS's master material. It comes from the environment or a file (KMS_MASTER_KEY_FILE),
 * never from the database or the repository. 32 bytes or more, base64.
 */
export class KmsConfig {
  @Env('KMS_MASTER_KEY', { secret: true, describe: 'base64 of at least 32 random bytes', check: masterKeyProblem })
  kmsMasterKey!: Secret<string>;
}

function masterKeyProblem(value: unknown): string | null {
  const raw = String(value);
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  return bytes.length >= 32 ? null : 'must be base64 of at least 32 random bytes';
}
