import { profileFlags, REFUSED_SDES_SUITES, RTPENGINE_SDES_SUITES, SDES_POLICY } from './rtpengine-flags';
import { STRONG_SRTP_SUITES } from './sdp-crypto-policy';

describe('rtpengine flags', () => {
  it('refuses every suite rtpengine knows except the strong ones', () => {
    expect(new Set([...REFUSED_SDES_SUITES, ...STRONG_SRTP_SUITES])).toEqual(new Set(RTPENGINE_SDES_SUITES));
    for (const suite of STRONG_SRTP_SUITES) expect(REFUSED_SDES_SUITES).not.toContain(suite);
    for (const weak of ['NULL_HMAC_SHA1_80', 'NULL_HMAC_SHA1_32', 'F8_128_HMAC_SHA1_80', 'F8_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_32']) {
      expect(SDES_POLICY).toContain(`no-${weak}`);
    }
  });

  it('asks for RTP/SAVP with SDES, without ICE or DTLS, toward SIP endpoints', () => {
    expect(profileFlags('srtp-sdes')).toEqual({
      replace: ['origin', 'session-connection'],
      'transport-protocol': 'RTP/SAVP',
      ICE: 'remove',
      DTLS: 'off',
      SDES: SDES_POLICY,
      'rtcp-mux': ['demux'],
    });
  });

  it('asks for DTLS-SRTP with ICE and rtcp-mux toward WebRTC, SDES off', () => {
    const flags = profileFlags('dtls-srtp');
    expect(flags['transport-protocol']).toBe('UDP/TLS/RTP/SAVPF');
    expect(flags.ICE).toBe('force');
    expect(flags.SDES).toEqual(['off', ...SDES_POLICY]);
    expect(flags['rtcp-mux']).toEqual(['require']);
  });

  it('excludes further strong suites on request, and refuses names rtpengine does not know', () => {
    const flags = profileFlags('srtp-sdes', ['AEAD_AES_256_GCM', 'NULL_HMAC_SHA1_80']);
    expect(flags.SDES).toEqual([...SDES_POLICY, 'no-AEAD_AES_256_GCM']);
    expect(() => profileFlags('srtp-sdes', ['AES_CM_128_HMAC_SHA1_80 inline:x'])).toThrow(RangeError);
  });

  it('keeps the SDES restrictions on plain legs, which govern what the SRTP side may use', () => {
    const flags = profileFlags('rtp');
    expect(flags['transport-protocol']).toBe('RTP/AVP');
    expect(flags.SDES).toEqual(SDES_POLICY);
  });
});
