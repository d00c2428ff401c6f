import { assertMediaProfile, enforceStrongSrtp, SrtpPolicyException, strongSuitesIn, weakSuitesIn } from './sdp-crypto-policy';

const crlf = (lines: string[]) => [...lines, ''].join('\r\n');

/** Linphone desktop 5.x, SRTP mandatory: four SDES suites, two of them 32-bit tags. */
const LINPHONE = crlf([
  'v=0',
  'o=agent7 2790 1266 IN IP4 192.0.2.10',
  's=Talk',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 7078 RTP/SAVP 96 97 98 0 8 101',
  'a=rtpmap:96 opus/48000/2',
  'a=rtpmap:101 telephone-event/8000',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
  'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:bmFtZWQgcGlwZXMgYXJlIHN0aWxsIGZpbGVzCg==',
  'a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1ZjNzB4d1BINUAvLEw6UzF3WQ',
  'a=crypto:4 AES_256_CM_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBRPS1uQCVeeCFCanVmcjkpPw',
  'a=rtcp-fb:* trr-int 1000',
]);

/** Microsoft Teams Direct Routing, SDES-only offer to an SBC (32-bit suite first). */
const TEAMS = crlf([
  'v=0',
  'o=- 0 0 IN IP4 198.51.100.5',
  's=session',
  'c=IN IP4 198.51.100.5',
  't=0 0',
  'm=audio 52884 RTP/SAVP 111 103 104 9 0 8 106 13 110 112 113 126',
  'a=crypto:0 AES_CM_128_HMAC_SHA1_32 inline:Hr4D2cgUu9+Uza5Igz/JkVx59DAxDbaxJg862ibQ|2^31',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:JPEaIxHegfuv53ykBPZk8hV0GO8kTiiqRMfHimEE|2^31',
  'a=rtcp:52884',
  'a=rtcp-mux',
]);

/** A desk phone that asks for unencrypted SRTCP. */
const UNENCRYPTED_SRTCP = crlf([
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.20',
  's=-',
  'c=IN IP4 192.0.2.20',
  't=0 0',
  'm=audio 2222 RTP/SAVP 0 8',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31|1:1 UNENCRYPTED_SRTCP',
  'a=crypto:2 AEAD_AES_256_GCM inline:eXg8bL/UWC1dnF2eRogkw/DghPkNS4ApfFm7n0WDo6Pp1mzdGSMAwtl6xRU',
]);

/** What rtpengine 10.5 offers by default when told RTP/SAVP and nothing else. */
const RTPENGINE_DEFAULT = crlf([
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/SAVP 0 8 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  'a=rtcp:40001',
  'a=crypto:1 AEAD_AES_256_GCM inline:eXg8bL/UWC1dnF2eRogkw/DghPkNS4ApfFm7n0WDo6Pp1mzdGSMAwtl6xRU',
  'a=crypto:2 AEAD_AES_128_GCM inline:hPpZOUp2g8pLQhLApUHZsoXgsZrWnVP9VFqoag',
  'a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:IHLSyCTGbgzc1pJFPyoVM2A8/nQVeummFFlsKCX/sd4iZaPZKESXq+wcXaJvMw',
  'a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:oOaMnvphrhfwvuUEB9wP0DIjP5fHy1pD/WRqHCZD',
  'a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:Azadk/BmyyLO5K70SOG/dWzaejxysDKcwE2VKpe0',
  'a=crypto:9 F8_128_HMAC_SHA1_80 inline:hJ/ls6RDiOt/LK4Y9Wc2w4UppLw+b/wNT6gP/dDd',
  'a=crypto:11 NULL_HMAC_SHA1_80 inline:K3nIA/6ckxJnfXOYJVE/aafog1J896M/MF/kMHPo',
  'a=crypto:12 NULL_HMAC_SHA1_32 inline:NSN4IFvZ4ueIjntRZgWqpzFYnyRHtHXt1wJF+tss',
]);

/** Chrome's WebRTC offer (trimmed): DTLS-SRTP, no SDES. */
const CHROME = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 126',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:EsAw',
  'a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y',
  'a=fingerprint:sha-256 A9:73:83:9F:80:17:5A:FE:97:CE:B9:5E:44:D1:25:26:57:49:29:70:48:5B:D8:11:E2:0B:8C:CD:FE:9B:31:9A',
  'a=setup:actpass',
  'a=mid:0',
  'a=rtcp-mux',
]);

/** A carrier's plain offer. */
const CARRIER_PLAIN = crlf([
  'v=0',
  'o=Sonus_UAC 2345 1 IN IP4 203.0.113.9',
  's=SIP Media Capabilities',
  'c=IN IP4 203.0.113.9',
  't=0 0',
  'm=audio 16422 RTP/AVP 8 0 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=ptime:20',
]);

describe('weakSuitesIn', () => {
  it('names the weak suites a softphone offers', () => {
    expect(weakSuitesIn(LINPHONE)).toEqual(['AES_CM_128_HMAC_SHA1_32', 'AES_256_CM_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32']);
    expect(weakSuitesIn(TEAMS)).toEqual(['AES_CM_128_HMAC_SHA1_32']);
  });

  it('names NULL, F8 and 32-bit suites in rtpengine’s default offer', () => {
    expect(weakSuitesIn(RTPENGINE_DEFAULT)).toEqual([
      'AES_256_CM_HMAC_SHA1_80',
      'AES_CM_128_HMAC_SHA1_32',
      'F8_128_HMAC_SHA1_80',
      'NULL_HMAC_SHA1_80',
      'NULL_HMAC_SHA1_32',
    ]);
  });

  it('names a strong suite whose session parameters switch protection off', () => {
    expect(weakSuitesIn(UNENCRYPTED_SRTCP)).toEqual(['AES_CM_128_HMAC_SHA1_80 UNENCRYPTED_SRTCP']);
    const sdp = UNENCRYPTED_SRTCP.replace('UNENCRYPTED_SRTCP', 'unauthenticated_srtp');
    expect(weakSuitesIn(sdp)).toEqual(['AES_CM_128_HMAC_SHA1_80 UNAUTHENTICATED_SRTP']);
  });

  it('finds nothing in plain or DTLS SDPs', () => {
    expect(weakSuitesIn(CARRIER_PLAIN)).toEqual([]);
    expect(weakSuitesIn(CHROME)).toEqual([]);
  });
});

describe('enforceStrongSrtp', () => {
  it('keeps only the allowed suites, in order, and leaves every other line alone', () => {
    const out = enforceStrongSrtp(RTPENGINE_DEFAULT);
    expect(weakSuitesIn(out)).toEqual([]);
    expect(strongSuitesIn(out)).toEqual(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80']);
    const nonCrypto = (s: string) => s.split('\r\n').filter((l) => !l.startsWith('a=crypto:'));
    expect(nonCrypto(out)).toEqual(nonCrypto(RTPENGINE_DEFAULT));
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('keeps the one good suite of Teams and Linphone offers', () => {
    expect(strongSuitesIn(enforceStrongSrtp(TEAMS))).toEqual(['AES_CM_128_HMAC_SHA1_80']);
    expect(strongSuitesIn(enforceStrongSrtp(LINPHONE))).toEqual(['AES_CM_128_HMAC_SHA1_80']);
  });

  it('drops the crypto line with UNENCRYPTED_SRTCP and keeps the clean one', () => {
    const out = enforceStrongSrtp(UNENCRYPTED_SRTCP);
    expect(out).not.toContain('UNENCRYPTED');
    expect(strongSuitesIn(out)).toEqual(['AEAD_AES_256_GCM']);
  });

  it('refuses an RTP/SAVP section left without any acceptable key', () => {
    const weakOnly = TEAMS.replace(/a=crypto:1 .*\r\n/, '');
    expect(() => enforceStrongSrtp(weakOnly)).toThrow(SrtpPolicyException);
    expect(() => enforceStrongSrtp(weakOnly)).toThrow('media section 1 offers only SRTP crypto suites or parameters we refuse');
    const onlyUnencrypted = UNENCRYPTED_SRTCP.replace(/a=crypto:2 .*\r\n/, '');
    expect(() => enforceStrongSrtp(onlyUnencrypted)).toThrow(SrtpPolicyException);
  });

  it('refuses an RTP/SAVP section that never had a key (what rtpengine answers when every offered suite was refused)', () => {
    const noKey = crlf(['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40010 RTP/SAVP 0 8', 'a=rtcp:40011']);
    expect(() => enforceStrongSrtp(noKey)).toThrow('media section 1 is RTP/SAVP without any SDES key');
  });

  it('never prints keys in its error', () => {
    const weakOnly = TEAMS.replace(/a=crypto:1 .*\r\n/, '');
    try {
      enforceStrongSrtp(weakOnly);
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).not.toContain('inline');
      expect((error as Error).message).not.toContain('Hr4D2c');
    }
  });

  it('accepts a rejected (port 0) SRTP section without keys and leaves plain and DTLS SDPs unchanged', () => {
    const withRejectedVideo = `${TEAMS}m=video 0 RTP/SAVP 96\r\n`;
    expect(() => enforceStrongSrtp(withRejectedVideo)).not.toThrow();
    expect(enforceStrongSrtp(CARRIER_PLAIN)).toBe(CARRIER_PLAIN);
    expect(enforceStrongSrtp(CHROME)).toBe(CHROME);
  });

  it('keeps LF line endings when the SDP uses them', () => {
    const lf = TEAMS.replace(/\r\n/g, '\n');
    const out = enforceStrongSrtp(lf);
    expect(out).not.toContain('\r');
    expect(strongSuitesIn(out)).toEqual(['AES_CM_128_HMAC_SHA1_80']);
  });

  it('leaves out strong suites it is told to exclude, and refuses when that leaves none', () => {
    const out = enforceStrongSrtp(RTPENGINE_DEFAULT, ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM']);
    expect(strongSuitesIn(out)).toEqual(['AES_CM_128_HMAC_SHA1_80']);
    expect(() => enforceStrongSrtp(TEAMS, ['AES_CM_128_HMAC_SHA1_80'])).toThrow(SrtpPolicyException);
  });

  it('removes malformed crypto lines', () => {
    const sdp = TEAMS.replace('a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 notinline:');
    expect(() => enforceStrongSrtp(sdp)).toThrow(SrtpPolicyException);
  });
});

describe('assertMediaProfile', () => {
  it('accepts what each profile must look like', () => {
    expect(() => assertMediaProfile(enforceStrongSrtp(RTPENGINE_DEFAULT), 'srtp-sdes')).not.toThrow();
    expect(() => assertMediaProfile(CHROME, 'dtls-srtp')).not.toThrow();
    expect(() => assertMediaProfile(CARRIER_PLAIN, 'rtp')).not.toThrow();
  });

  it('refuses plain RTP, weak suites or DTLS where SDES is required', () => {
    expect(() => assertMediaProfile(CARRIER_PLAIN, 'srtp-sdes')).toThrow('expected RTP/SAVP');
    expect(() => assertMediaProfile(RTPENGINE_DEFAULT, 'srtp-sdes')).toThrow('refused SDES suite');
    expect(() => assertMediaProfile(CHROME, 'srtp-sdes')).toThrow('expected RTP/SAVP');
  });

  it('refuses SDES keys or a missing fingerprint on a DTLS leg', () => {
    expect(() => assertMediaProfile(TEAMS, 'dtls-srtp')).toThrow('expected UDP/TLS/RTP/SAVPF');
    expect(() => assertMediaProfile(CHROME.replace(/a=fingerprint:.*\r\n/, ''), 'dtls-srtp')).toThrow('no DTLS fingerprint');
    const withKey = CHROME.replace('a=mid:0', 'a=mid:0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:JPEaIxHegfuv53ykBPZk8hV0GO8kTiiqRMfHimEE');
    expect(() => assertMediaProfile(withKey, 'dtls-srtp')).toThrow('SDES keys on a DTLS leg');
  });

  it('accepts an SDP whose RTP sections are all rejected (port 0)', () => {
    expect(() => assertMediaProfile(CARRIER_PLAIN.replace('m=audio 16422', 'm=audio 0'), 'srtp-sdes')).not.toThrow();
  });

  it('refuses SRTP where plain RTP is configured, and an SDP without media', () => {
    expect(() => assertMediaProfile(TEAMS, 'rtp')).toThrow('expected plain RTP');
    expect(() => assertMediaProfile('v=0\r\ns=-\r\n', 'rtp')).toThrow('no RTP media section');
  });
});
