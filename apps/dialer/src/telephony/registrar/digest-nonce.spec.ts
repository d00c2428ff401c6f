import { randomBytes } from 'node:crypto';
import { Secret } from '@app/config';
import { DigestNonces, nonceKeyFrom } from './digest-nonce';

describe('DigestNonces', () => {
  let t = 1_700_000_000_000;
  const now = () => t;
  const key = randomBytes(32);

  it('accepts its own fresh nonces, each one different', () => {
    const nonces = new DigestNonces(key, 'callcenter.local', { now });
    const a = nonces.issue();
    const b = nonces.issue();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{54}$/);
    expect(nonces.check(a)).toBe('valid');
  });

  it('is verified by another instance with the same key, and by no other key or realm', () => {
    const nonce = new DigestNonces(key, 'callcenter.local', { now }).issue();
    expect(new DigestNonces(Buffer.from(key), 'callcenter.local', { now }).check(nonce)).toBe('valid');
    expect(new DigestNonces(randomBytes(32), 'callcenter.local', { now }).check(nonce)).toBe('invalid');
    expect(new DigestNonces(key, 'other.realm', { now }).check(nonce)).toBe('invalid');
  });

  it('goes stale after its lifetime', () => {
    const nonces = new DigestNonces(key, 'r', { now, ttlMs: 60_000 });
    const nonce = nonces.issue();
    t += 60_000;
    expect(nonces.check(nonce)).toBe('valid');
    t += 1;
    expect(nonces.check(nonce)).toBe('stale');
  });

  it('refuses a tampered nonce: a changed timestamp, a flipped bit, a truncation, garbage', () => {
    const nonces = new DigestNonces(key, 'r', { now, ttlMs: 60_000 });
    const nonce = nonces.issue();
    const raw = Buffer.from(nonce, 'base64url');
    const younger = Buffer.from(raw);
    younger.writeBigUInt64BE(BigInt(t + 3_600_000), 16);
    expect(nonces.check(younger.toString('base64url'))).toBe('invalid');
    for (let i = 0; i < raw.length; i += 7) {
      const flipped = Buffer.from(raw);
      flipped[i] ^= 0x01;
      expect(nonces.check(flipped.toString('base64url'))).toBe('invalid');
    }
    expect(nonces.check(nonce.slice(0, -2))).toBe('invalid');
    expect(nonces.check('dcd98b7102dd2f0e8b11d0f600bfb0c093')).toBe('invalid');
    expect(nonces.check('not base64url!')).toBe('invalid');
  });

  it('refuses a nonce dated well in the future (a clock gone wrong, or a forgery with the key)', () => {
    const issuer = new DigestNonces(key, 'r', { now: () => t + 120_000 });
    expect(new DigestNonces(key, 'r', { now }).check(issuer.issue())).toBe('invalid');
  });

  it('accepts each nonce count once and only increasing', () => {
    const nonces = new DigestNonces(key, 'r', { now });
    const nonce = nonces.issue();
    expect(nonces.acceptCount(nonce, '00000001')).toBe(true);
    expect(nonces.acceptCount(nonce, '00000001')).toBe(false);
    expect(nonces.acceptCount(nonce, '00000003')).toBe(true);
    expect(nonces.acceptCount(nonce, '00000002')).toBe(false);
    expect(nonces.acceptCount(nonce, 'zz')).toBe(false);
    expect(nonces.acceptCount('forged', '00000001')).toBe(false);
  });

  it('forgets counts of expired nonces and stays within its bound', () => {
    const nonces = new DigestNonces(key, 'r', { now, ttlMs: 1000, maxTracked: 2 });
    const a = nonces.issue();
    const b = nonces.issue();
    const c = nonces.issue();
    nonces.acceptCount(a, '00000001');
    nonces.acceptCount(b, '00000001');
    nonces.acceptCount(c, '00000001');
    // a was evicted to keep two; its count starts over (it is still cryptographically valid).
    expect(nonces.acceptCount(a, '00000001')).toBe(true);
    expect(nonces.acceptCount(c, '00000001')).toBe(false);
  });

  it('derives the shared key from a configured secret, deterministically', () => {
    const secret = new Secret('a configured secret of enough length');
    expect(nonceKeyFrom(secret).equals(nonceKeyFrom(new Secret('a configured secret of enough length')))).toBe(true);
    expect(nonceKeyFrom(secret)).toHaveLength(32);
    expect(nonceKeyFrom(secret).equals(nonceKeyFrom(new Secret('another secret')))).toBe(false);
  });

  it('wants a key of at least 256 bits', () => {
    expect(() => new DigestNonces(randomBytes(16), 'r')).toThrow(RangeError);
  });
});
