import { Env, Secret } from '@app/config';
import { base64KeyProblem } from './key-material';

/**
 * The local KMS's master material. It comes from the environment or a file (KMS_MASTER_KEY_FILE),
 * never from the database or the repository. 32 bytes or more, base64.
 */
export class KmsConfig {
  @Env('KMS_MASTER_KEY', { secret: true, describe: 'base64 of at least 32 random bytes', check: (value) => base64KeyProblem(value) })
  kmsMasterKey!: Secret<string>;
}
