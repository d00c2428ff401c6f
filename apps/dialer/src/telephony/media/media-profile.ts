/**
 * How media is carried toward one party, and so what an SDP sent to that party must say:
 * - 'srtp-sdes': SIP endpoints over TLS (agents' phones, carriers that support it): RTP/SAVP with
 *   SDES keys (a=crypto), strong suites only, no ICE, no DTLS.
 * - 'dtls-srtp': WebRTC: UDP/TLS/RTP/SAVPF, keys by DTLS, ICE, rtcp-mux.
 * - 'rtp': plain RTP/AVP, only toward parties configured so (carriers without SRTP).
 */
export type MediaProfile = 'srtp-sdes' | 'dtls-srtp' | 'rtp';

export const MEDIA_PROFILES: readonly MediaProfile[] = ['srtp-sdes', 'dtls-srtp', 'rtp'];
