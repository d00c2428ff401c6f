import { createHmac } from 'node:crypto';
import { Env, Secret } from '@app/config';

export class BlindIndexConfig {
  @Env('BLIND_INDEX_KEY', {
    secret: true,
    describe: 'base64 of at least 32 random bytes; never rotated without rebuilding every index',
    check: (value) => (base64Bytes(String(value)) >= 32 ? null : 'must be base64 of at least 32 random bytes'),
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

function base64Bytes(raw: string): number {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64').length : 0;
}
