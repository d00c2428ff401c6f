import { randomBytes } from 'node:crypto';
import { CryptoIntegrityError, open, seal } from './aead';

describe('AES-256-GCM seal/open', () => {
  const key = randomBytes(32);
  const plaintext = Buffer.from('a TOTP seed or a data key');

  it('round-trips under the same key and associated data', () => {
    expect(open(key, seal(key, plaintext, 'users:1:mfa'), 'users:1:mfa')).toEqual(plaintext);
  });

  it('uses a fresh nonce every time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => seal(key, plaintext, 'x').subarray(0, 12).toString('hex')));
    expect(nonces.size).toBe(1000);
  });

  it('refuses a flipped byte, another context, another key and a truncation', () => {
    const sealed = seal(key, plaintext, 'users:1:mfa');
    for (let i = 0; i < sealed.length; i += 7) {
      const flipped = Buffer.from(sealed);
      flipped[i] ^= 0x01;
      expect(() => open(key, flipped, 'users:1:mfa')).toThrow(CryptoIntegrityError);
    }
    expect(() => open(key, sealed, 'users:2:mfa')).toThrow(CryptoIntegrityError);
    expect(() => open(randomBytes(32), sealed, 'users:1:mfa')).toThrow(CryptoIntegrityError);
    expect(() => open(key, sealed.subarray(0, 20), 'users:1:mfa')).toThrow(CryptoIntegrityError);
  });
});
