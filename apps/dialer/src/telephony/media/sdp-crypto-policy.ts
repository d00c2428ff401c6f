import { MediaProfile } from './media-profile';

/**
 * SDES crypto suites we accept and offer. Everything else rtpengine knows is refused: NULL_* (no
 * encryption), F8_* (obsolete), *_32 (32-bit authentication tags), and the AES-192/256 counter-mode
 * suites, which are sound but outside the suites we test interoperability with.
 */
export const STRONG_SRTP_SUITES = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80'] as const;

/** RFC 4568 §6.3 session parameters that switch off encryption or authentication. */
export const FORBIDDEN_SDES_SESSION_PARAMS = ['UNENCRYPTED_SRTP', 'UNENCRYPTED_SRTCP', 'UNAUTHENTICATED_SRTP'] as const;

const STRONG = new Set<string>(STRONG_SRTP_SUITES);
const FORBIDDEN = new Set<string>(FORBIDDEN_SDES_SESSION_PARAMS);
const SDES_PROTOCOLS = new Set(['RTP/SAVP', 'RTP/SAVPF']);
const DTLS_PROTOCOLS = new Set(['UDP/TLS/RTP/SAVP', 'UDP/TLS/RTP/SAVPF']);

/** An SDP that breaks the media policy. The message names suites and media indexes only, never keys or addresses. */
export class SrtpPolicyException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SrtpPolicyException';
  }
}

interface Section {
  /** null for the session part before the first m= line. */
  protocol: string | null;
  port: number | null;
  lines: string[];
}

interface CryptoVerdict {
  suite: string;
  /** Why the line is refused, or null when it is acceptable. */
  refusal: string | null;
}

function splitSdp(sdp: string): { eol: string; sections: Section[] } {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections: Section[] = [{ protocol: null, port: null, lines: [] }];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      const [, port, protocol] = line.slice(2).split(/\s+/);
      sections.push({ protocol: (protocol ?? '').toUpperCase(), port: Number(port), lines: [line] });
    } else {
      sections[sections.length - 1].lines.push(line);
    }
  }
  return { eol, sections };
}

function isCrypto(line: string): boolean {
  return /^a=crypto:/i.test(line);
}

/** `a=crypto:<tag> <suite> <key-params> [<session-params>…]` (RFC 4568 §9.1). */
function judgeCrypto(line: string, allowed: ReadonlySet<string> = STRONG): CryptoVerdict {
  const tokens = line.slice('a=crypto:'.length).trim().split(/\s+/);
  const [tag, suite = '', keyParams = '', ...sessionParams] = tokens;
  if (!/^\d{1,9}$/.test(tag ?? '') || !/^inline:/i.test(keyParams)) return { suite: suite || '(malformed)', refusal: 'malformed' };
  if (!allowed.has(suite)) return { suite, refusal: 'weak suite' };
  const forbidden = sessionParams.find((p) => FORBIDDEN.has(p.toUpperCase()));
  if (forbidden) return { suite, refusal: forbidden.toUpperCase() };
  return { suite, refusal: null };
}

function isActiveRtp(section: Section): boolean {
  return section.protocol !== null && section.port !== 0 && section.protocol.includes('RTP');
}

/**
 * Crypto lines that enforceStrongSrtp would remove: the suite, followed by the offending session
 * parameter when the suite itself is fine (e.g. "AES_CM_128_HMAC_SHA1_80 UNENCRYPTED_SRTP").
 */
export function weakSuitesIn(sdp: string): string[] {
  const weak: string[] = [];
  for (const section of splitSdp(sdp).sections) {
    for (const line of section.lines) {
      if (!isCrypto(line)) continue;
      const { suite, refusal } = judgeCrypto(line);
      if (refusal === null) continue;
      weak.push(refusal === 'weak suite' || refusal === 'malformed' ? suite : `${suite} ${refusal}`);
    }
  }
  return weak;
}

/** The suites of the acceptable crypto lines, in order. */
export function strongSuitesIn(sdp: string): string[] {
  const strong: string[] = [];
  for (const section of splitSdp(sdp).sections) {
    for (const line of section.lines) {
      if (!isCrypto(line)) continue;
      const verdict = judgeCrypto(line);
      if (verdict.refusal === null) strong.push(verdict.suite);
    }
  }
  return strong;
}

/**
 * Defence in depth behind rtpengine's own flags: removes every crypto line whose suite is not in
 * STRONG_SRTP_SUITES or that carries an UNENCRYPTED_* / UNAUTHENTICATED_* session parameter, and
 * refuses the SDP when an active RTP/SAVP(F) media section is left without any key (it would
 * otherwise be answered with no crypto, or fall back to something weaker).
 *
 * `excluded` removes strong suites as well (a leg pinned to the suite the other leg already uses).
 */
export function enforceStrongSrtp(sdp: string, excluded: readonly string[] = []): string {
  const allowed = excluded.length ? new Set([...STRONG].filter((s) => !excluded.includes(s))) : STRONG;
  const { eol, sections } = splitSdp(sdp);
  sections.forEach((section, index) => {
    const kept = section.lines.filter((line) => !isCrypto(line) || judgeCrypto(line, allowed).refusal === null);
    const removed = section.lines.length - kept.length;
    section.lines = kept;
    if (section.protocol === null || !SDES_PROTOCOLS.has(section.protocol) || !isActiveRtp(section)) return;
    if (!kept.some(isCrypto)) {
      throw new SrtpPolicyException(
        removed > 0
          ? `media section ${index} offers only SRTP crypto suites or parameters we refuse`
          : `media section ${index} is ${section.protocol} without any SDES key`,
      );
    }
  });
  return sections.flatMap((s) => s.lines).join(eol);
}

/**
 * Checks an SDP rtpengine produced for a party with the given profile: every active RTP media
 * section uses that profile's transport, SDES sections carry only strong keys, DTLS sections carry
 * a fingerprint and no SDES keys. Throws SrtpPolicyException otherwise.
 */
export function assertMediaProfile(sdp: string, profile: MediaProfile): void {
  const { sections } = splitSdp(sdp);
  const sessionFingerprint = sections[0].lines.some((l) => /^a=fingerprint:/i.test(l));
  const indexed = sections.map((s, index) => ({ s, index }));
  // Sections rejected with port 0 carry nothing and need no keys; an SDP with no RTP at all is refused.
  if (!indexed.some(({ s }) => s.protocol?.includes('RTP'))) throw new SrtpPolicyException('no RTP media section');
  const active = indexed.filter(({ s }) => isActiveRtp(s));
  for (const { s, index } of active) {
    const crypto = s.lines.filter(isCrypto);
    switch (profile) {
      case 'srtp-sdes':
        if (!SDES_PROTOCOLS.has(s.protocol!)) throw new SrtpPolicyException(`media section ${index} is ${s.protocol}, expected RTP/SAVP`);
        if (crypto.length === 0) throw new SrtpPolicyException(`media section ${index} has no SDES key`);
        if (crypto.some((l) => judgeCrypto(l).refusal !== null)) throw new SrtpPolicyException(`media section ${index} carries a refused SDES suite`);
        break;
      case 'dtls-srtp':
        if (!DTLS_PROTOCOLS.has(s.protocol!)) throw new SrtpPolicyException(`media section ${index} is ${s.protocol}, expected UDP/TLS/RTP/SAVPF`);
        if (crypto.length > 0) throw new SrtpPolicyException(`media section ${index} carries SDES keys on a DTLS leg`);
        if (!sessionFingerprint && !s.lines.some((l) => /^a=fingerprint:/i.test(l))) {
          throw new SrtpPolicyException(`media section ${index} has no DTLS fingerprint`);
        }
        break;
      case 'rtp':
        if (SDES_PROTOCOLS.has(s.protocol!) || DTLS_PROTOCOLS.has(s.protocol!)) {
          throw new SrtpPolicyException(`media section ${index} is ${s.protocol}, expected plain RTP`);
        }
        break;
    }
  }
}
