import * as argon2 from 'argon2';

/**
 * argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane). Stored hashes carry their own
 * parameters, so raising these later only needs a rehash at the next successful login.
 */
export const PASSWORD_HASH_PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(hash: string, password: string): Promise<boolean>;
  abstract needsRehash(hash: string): boolean;
}

export class Argon2PasswordHasher extends PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, PASSWORD_HASH_PARAMS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, {
      memoryCost: PASSWORD_HASH_PARAMS.memoryCost,
      timeCost: PASSWORD_HASH_PARAMS.timeCost,
      parallelism: PASSWORD_HASH_PARAMS.parallelism,
    });
  }
}
