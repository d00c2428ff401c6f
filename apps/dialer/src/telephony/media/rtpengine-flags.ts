import type { NgDictionary } from 'rtpengine-client';
import { MediaProfile } from './media-profile';
import { STRONG_SRTP_SUITES } from './sdp-crypto-policy';

/** Every SDES suite rtpengine 10.5 implements (daemon/crypto.c), in its preference order. */
export const RTPENGINE_SDES_SUITES = [
  'AEAD_AES_256_GCM',
  'AEAD_AES_128_GCM',
  'AES_256_CM_HMAC_SHA1_80',
  'AES_256_CM_HMAC_SHA1_32',
  'AES_192_CM_HMAC_SHA1_80',
  'AES_192_CM_HMAC_SHA1_32',
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
  'F8_128_HMAC_SHA1_80',
  'F8_128_HMAC_SHA1_32',
  'NULL_HMAC_SHA1_80',
  'NULL_HMAC_SHA1_32',
] as const;

const strong = new Set<string>(STRONG_SRTP_SUITES);

/** The suites rtpengine must neither offer nor accept. */
export const REFUSED_SDES_SUITES: readonly string[] = RTPENGINE_SDES_SUITES.filter((s) => !strong.has(s));

/**
 * rtpengine 10.5 has no "only these suites" option (SDES-only-* came later), so every other suite is
 * excluded one by one with SDES "no-<suite>". The exclusion must be in the `offer` that carries the
 * SRTP endpoint's SDP: that is when rtpengine prunes the suites it will later accept from that
 * endpoint (an exclusion given only with the `answer` is too late: rtpengine then answers the first
 * suite offered, NULL_HMAC_SHA1_80 included). It is sent with every command anyway.
 *
 * encrypted_srtp / encrypted_srtcp / authenticated_srtp keep an UNENCRYPTED_* or UNAUTHENTICATED_*
 * session parameter received from one side from being passed on to the other.
 */
export const SDES_POLICY: readonly string[] = [
  'encrypted_srtp',
  'encrypted_srtcp',
  'authenticated_srtp',
  ...REFUSED_SDES_SUITES.map((suite) => `no-${suite}`),
];

/**
 * The ng options that make rtpengine produce an SDP for a party with `profile` (the party that
 * receives the SDP rtpengine returns). The same options go with offers, answers and subscriptions.
 * `excludeSuites` leaves out strong suites too (only suites rtpengine knows are accepted).
 */
export function profileFlags(profile: MediaProfile, excludeSuites: readonly string[] = []): NgDictionary {
  const known = new Set<string>(RTPENGINE_SDES_SUITES);
  const unknown = excludeSuites.find((s) => !known.has(s));
  if (unknown !== undefined) throw new RangeError(`unknown SDES suite: ${unknown}`);
  const sdes = [...SDES_POLICY, ...excludeSuites.filter((s) => !REFUSED_SDES_SUITES.includes(s)).map((s) => `no-${s}`)];
  // A and c= lines name rtpengine, so the parties see only rtpengine's address and never each other's.
  const common: NgDictionary = { replace: ['origin', 'session-connection'] };
  switch (profile) {
    case 'srtp-sdes':
      return {
        ...common,
        'transport-protocol': 'RTP/SAVP',
        ICE: 'remove',
        DTLS: 'off',
        SDES: sdes,
        // SIP phones and carriers often lack rtcp-mux: rtpengine demultiplexes toward them.
        'rtcp-mux': ['demux'],
      };
    case 'dtls-srtp':
      return {
        ...common,
        'transport-protocol': 'UDP/TLS/RTP/SAVPF',
        ICE: 'force',
        SDES: ['off', ...sdes],
        // Browsers require rtcp-mux and a=mid.
        'rtcp-mux': ['require'],
        flags: ['generate-mid'],
      };
    case 'rtp':
      return {
        ...common,
        'transport-protocol': 'RTP/AVP',
        ICE: 'remove',
        DTLS: 'off',
        // Still restricts what rtpengine accepts from the SRTP side of the call.
        SDES: sdes,
        'rtcp-mux': ['demux'],
      };
  }
}
