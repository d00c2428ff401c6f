import { createHash, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** The fields of an Authorization header (RFC 7616 §3.4) the registrar uses. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop: string | null;
  nc: string | null;
  cnonce: string | null;
  opaque: string | null;
}

export interface DigestInput {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** qop=auth with its nonce count and client nonce; RFC 2069 style when absent. */
  qop?: { nc: string; cnonce: string };
}

const HASHES: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

function h(algorithm: DigestAlgorithm, value: string): string {
  return createHash(HASHES[algorithm]).update(value, 'utf8').digest('hex');
}

/** The response a client computes (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1), lower-case hex. */
export function digestResponse(input: DigestInput): string {
  const ha1 = h(input.algorithm, `${input.username}:${input.realm}:${input.password}`);
  const ha2 = h(input.algorithm, `${input.method}:${input.uri}`);
  return input.qop
    ? h(input.algorithm, `${ha1}:${input.nonce}:${input.qop.nc}:${input.qop.cnonce}:auth:${ha2}`)
    : h(input.algorithm, `${ha1}:${input.nonce}:${ha2}`);
}

/** Compares two hex digests in time that does not depend on where they differ. */
export function digestsEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  if (a.length !== b.length) {
    // Still spend a comparison, so a wrong length is not answered measurably faster.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Parses `Digest k=v, k="quoted, with \" escapes", …`. Null when the scheme is not Digest, a required
 * field is missing, or the algorithm is one we do not accept (only MD5 and SHA-256; no "-sess").
 */
export function parseDigestAuthorization(header: string | undefined | null): DigestCredentials | null {
  if (!header) return null;
  const match = /^\s*Digest\s+/i.exec(header);
  if (!match) return null;
  const params = new Map<string, string>();
  const rest = header.slice(match[0].length);
  const pattern = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
  let position = 0;
  while (position < rest.length) {
    pattern.lastIndex = position;
    const m = pattern.exec(rest);
    if (!m || m[0].length === 0) return null;
    const key = m[1].toLowerCase();
    if (params.has(key)) return null;
    params.set(key, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
    position = pattern.lastIndex;
  }
  const required = ['username', 'realm', 'nonce', 'uri', 'response'];
  if (required.some((k) => !params.get(k))) return null;
  const algorithmName = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (algorithmName !== 'MD5' && algorithmName !== 'SHA-256') return null;
  return {
    username: params.get('username')!,
    realm: params.get('realm')!,
    nonce: params.get('nonce')!,
    uri: params.get('uri')!,
    response: params.get('response')!,
    algorithm: algorithmName,
    qop: params.get('qop') ?? null,
    nc: params.get('nc') ?? null,
    cnonce: params.get('cnonce') ?? null,
    opaque: params.get('opaque') ?? null,
  };
}

/** The username of a Digest Authorization header, or null (for throttling before verification). */
export function digestUsername(header: string | undefined | null): string | null {
  return parseDigestAuthorization(header)?.username ?? null;
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** A WWW-Authenticate value asking for qop=auth. */
export function digestChallenge(realm: string, nonce: string, algorithm: DigestAlgorithm, stale = false): string {
  return `Digest realm=${quote(realm)}, nonce=${quote(nonce)}, qop="auth", algorithm=${algorithm}${stale ? ', stale=true' : ''}`;
}
