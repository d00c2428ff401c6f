import { digestChallenge, digestResponse, digestsEqual, digestUsername, parseDigestAuthorization } from './sip-digest';

describe('digestResponse', () => {
  it('matches RFC 2617 §3.5 (MD5, qop=auth)', () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        algorithm: 'MD5',
        qop: { nc: '00000001', cnonce: '0a4f113b' },
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('matches RFC 7616 §3.9.1 for MD5 and SHA-256', () => {
    const common = {
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      qop: { nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' },
    };
    expect(digestResponse({ ...common, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...common, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('computes the RFC 2069 form without qop', () => {
    const withQop = digestResponse({ username: 'a', realm: 'r', password: 'p', method: 'REGISTER', uri: 'sip:r', nonce: 'n', algorithm: 'MD5', qop: { nc: '00000001', cnonce: 'c' } });
    const without = digestResponse({ username: 'a', realm: 'r', password: 'p', method: 'REGISTER', uri: 'sip:r', nonce: 'n', algorithm: 'MD5' });
    expect(without).toMatch(/^[0-9a-f]{32}$/);
    expect(without).not.toBe(withQop);
  });
});

describe('digestsEqual', () => {
  it('compares case-insensitively and refuses different lengths', () => {
    expect(digestsEqual('6629fae49393a05397450978507c4ef1', '6629FAE49393A05397450978507C4EF1')).toBe(true);
    expect(digestsEqual('6629fae49393a05397450978507c4ef1', '6629fae49393a05397450978507c4ef2')).toBe(false);
    expect(digestsEqual('6629fae49393a05397450978507c4ef1', '6629fae4')).toBe(false);
  });
});

describe('parseDigestAuthorization', () => {
  const header =
    'Digest username="agent7", realm="callcenter.local", nonce="abc-DEF_123", uri="sip:callcenter.local;transport=tls", ' +
    'response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001, opaque=""';

  it('reads a softphone’s header', () => {
    expect(parseDigestAuthorization(header)).toEqual({
      username: 'agent7',
      realm: 'callcenter.local',
      nonce: 'abc-DEF_123',
      uri: 'sip:callcenter.local;transport=tls',
      response: '6629fae49393a05397450978507c4ef1',
      algorithm: 'MD5',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      opaque: '',
    });
  });

  it('handles quoted commas and escapes, and defaults the algorithm to MD5', () => {
    const parsed = parseDigestAuthorization('digest username="a\\"b, c", realm="r", nonce="n", uri="sip:r", response="x"');
    expect(parsed?.username).toBe('a"b, c');
    expect(parsed?.algorithm).toBe('MD5');
    expect(parsed?.qop).toBeNull();
  });

  it('refuses other schemes, missing fields, duplicates, -sess algorithms and garbage', () => {
    expect(parseDigestAuthorization('Basic YWdlbnQ6cGFzcw==')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a", realm="r", nonce="n", uri="sip:r"')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a", username="b", realm="r", nonce="n", uri="sip:r", response="x"')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a", realm="r", nonce="n", uri="sip:r", response="x", algorithm=MD5-sess')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a" realm="r"')).toBeNull();
    expect(parseDigestAuthorization(undefined)).toBeNull();
  });

  it('gives the username alone for throttling', () => {
    expect(digestUsername(header)).toBe('agent7');
    expect(digestUsername('Basic x')).toBeNull();
  });
});

describe('digestChallenge', () => {
  it('asks for qop=auth and says when the nonce is stale', () => {
    expect(digestChallenge('callcenter.local', 'n1', 'MD5')).toBe('Digest realm="callcenter.local", nonce="n1", qop="auth", algorithm=MD5');
    expect(digestChallenge('r', 'n2', 'MD5', true)).toContain(', stale=true');
  });
});
