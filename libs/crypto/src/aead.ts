import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a ciphertext does not authenticate: tampered, truncated, or opened with the wrong key or context. */
export class CryptoIntegrityError extends Error {
  constructor(message = 'ciphertext failed authentication') {
    super(message);
    this.name = 'CryptoIntegrityError';
  }
}

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message, laid out as nonce | ciphertext | tag.
 * The associated data binds the message to its place (record id and field name, key version…),
 * so a ciphertext moved to another record does not open.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer | string): Buffer {
  assertKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function open(key: Buffer, sealed: Buffer, aad: Buffer | string): Buffer {
  assertKey(key);
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new CryptoIntegrityError('ciphertext is truncated');
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new CryptoIntegrityError();
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
}
