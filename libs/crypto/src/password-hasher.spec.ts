import { Argon2PasswordHasher } from './password-hasher';

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher();

  it('hashes with argon2id at or above OWASP parameters (m >= 19 MiB, t >= 2)', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash.startsWith('$argon2id$v=19$')).toBe(true);
    const params = Object.fromEntries(hash.split('$')[3].split(',').map((kv) => kv.split('=')));
    expect(Number(params.m)).toBeGreaterThanOrEqual(19 * 1024);
    expect(Number(params.t)).toBeGreaterThanOrEqual(2);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('verifies the right password only, and flags weaker hashes for rehash', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapl')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    const weak = '$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$wNB2k3uM3c2Yp+8x7cTr3n6m0Yb0m8c6mS8F5b2w9yE';
    expect(hasher.needsRehash(weak)).toBe(true);
  });
});
