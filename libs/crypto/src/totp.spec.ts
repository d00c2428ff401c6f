import { matchTotp, totpAt, TotpAlgorithm, totpStepOf } from './totp';

// RFC 6238 Appendix B: seeds are the ASCII digits repeated to the hash's length; 8-digit codes.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const VECTORS: Array<[number, string, string, string]> = [
  // [unix seconds, SHA1, SHA256, SHA512]
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238 Appendix B)', () => {
  const algorithms: TotpAlgorithm[] = ['sha1', 'sha256', 'sha512'];
  for (const [seconds, ...codes] of VECTORS) {
    algorithms.forEach((algorithm, i) => {
      it(`${algorithm} at T=${seconds} gives ${codes[i]}`, () => {
        expect(totpAt(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8, stepSeconds: 30 })).toBe(codes[i]);
      });
    });
  }
});

describe('matchTotp', () => {
  const secret = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
  const now = 1_700_000_000_000;

  it('accepts the current step and one step either side, and says which step matched', () => {
    const step = totpStepOf(now);
    expect(matchTotp(secret, totpAt(secret, now), now)).toBe(step);
    expect(matchTotp(secret, totpAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(secret, totpAt(secret, now + 30_000), now)).toBe(step + 1);
  });

  it('refuses codes two steps away, malformed codes and another secret', () => {
    expect(matchTotp(secret, totpAt(secret, now - 60_000), now)).toBeNull();
    expect(matchTotp(secret, totpAt(secret, now + 60_000), now)).toBeNull();
    expect(matchTotp(secret, '12345', now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
    const other = Buffer.alloc(20, 7);
    expect(matchTotp(other, totpAt(secret, now), now)).toBeNull();
  });
});

describe('base32 for otpauth URIs', () => {
  it('round-trips every byte value, high bit included', async () => {
    const { base32Decode, base32Encode } = await import('./base32');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Encode(Buffer.from('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});
