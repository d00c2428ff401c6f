import { createHmac } from 'node:crypto';
import { Env, Secret } from '@app/config';
import { base64KeyProblem } from './key-material';

export class BlindIndexConfig {
  @Env('BLIND_INDEX_KEY', {
    secret: true,
    describe: 'base64 of at least 32 random bytes; never rotated without rebuilding every index',
    check: (value) => base64KeyProblem(value),
  })
  blindIndexKey!: Secret<string>;
}

export type BlindIndexKind = 'phone' | 'email';

/**
 * Equality look-ups over encrypted data: HMAC-SHA256 of the normalised value under a key of its
 * own, separated by kind so a phone index never matches an e-mail index. Reveals only equality.
 */
export class BlindIndex {
  private readonly key: Buffer;

  constructor(config: BlindIndexConfig) {
    this.key = Buffer.from(config.blindIndexKey.reveal(), 'base64');
  }

  of(kind: BlindIndexKind, normalised: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${normalised}`).digest('hex');
  }
}
