/** A ciphertext made by the KMS, with the key version needed to open it. */
export interface KmsCiphertext {
  keyId: string;
  version: number;
  ciphertext: Buffer;
}

export interface KmsKeyVersion {
  keyId: string;
  version: number;
  state: 'active' | 'enabled' | 'retired';
  createdAt: Date;
  retiredAt: Date | null;
}

/**
 * Shaped like a cloud KMS (encrypt small secrets, wrap data keys, versioned keys that rotate and
 * retire) so a real one can replace the local implementation without touching any caller. The
 * context is associated data: a ciphertext opens only under the context it was made with.
 */
export abstract class KmsRepository {
  /** Encrypts a small secret (a TOTP seed, a data key) under the key's active version. */
  abstract encrypt(keyId: string, plaintext: Buffer, context: string): Promise<KmsCiphertext>;
  abstract decrypt(ciphertext: KmsCiphertext, context: string): Promise<Buffer>;
  /** A fresh 256-bit data key, returned both in the clear (use, then drop) and wrapped (store). */
  abstract generateDataKey(keyId: string, context: string): Promise<{ plaintext: Buffer; wrapped: KmsCiphertext }>;
  /** Re-encrypts under the active version without the plaintext leaving the KMS boundary. */
  abstract reencrypt(ciphertext: KmsCiphertext, context: string): Promise<KmsCiphertext>;
  abstract createKeyVersion(keyId: string): Promise<KmsKeyVersion>;
  abstract retireKeyVersion(keyId: string, version: number): Promise<void>;
  abstract listKeyVersions(keyId: string): Promise<KmsKeyVersion[]>;
}
