import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret } from '@app/config';

export type NonceVerdict = 'valid' | 'stale' | 'invalid';

export interface DigestNonceOptions {
  /** A nonce older than this is answered with a fresh challenge marked stale. */
  ttlMs?: number;
  now?: () => number;
  /** Nonces whose counts are remembered (replay protection), at most. */
  maxTracked?: number;
}

const RANDOM = 16;
const TIME = 8;
const MAC = 16;
const LENGTH = RANDOM + TIME + MAC;
/** Instances' clocks may differ a little; a nonce "from the future" beyond this is forged or broken. */
const FUTURE_SKEW_MS = 30_000;

/**
 * The key every dialer instance shares for nonces, derived from a configured secret. drachtio-server
 * hands requests to any connected instance, so the REGISTER answering a challenge may reach another
 * instance than the one that issued it.
 */
export function nonceKeyFrom(secret: Secret<string>): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret.reveal(), 'utf8'), 'callcenter-sip-digest', 'nonce-key-v1', 32));
}

/**
 * Stateless digest nonces: 16 random bytes, the issue time, and an HMAC-SHA256 over both and the
 * realm, base64url. Any instance verifies one without shared state; a tampered one fails the HMAC
 * (compared in constant time); an old one is stale. Nonce counts are tracked per instance so a
 * captured request cannot be replayed to the same instance with the same count.
 */
export class DigestNonces {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxTracked: number;
  private readonly counts = new Map<string, { nc: number; issuedAt: number }>();

  constructor(
    private readonly key: Buffer,
    private readonly realm: string,
    options: DigestNonceOptions = {},
  ) {
    if (key.length < 32) throw new RangeError('nonce key must be at least 32 bytes');
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.maxTracked = options.maxTracked ?? 100_000;
  }

  issue(): string {
    const body = Buffer.alloc(RANDOM + TIME);
    randomBytes(RANDOM).copy(body, 0);
    body.writeBigUInt64BE(BigInt(Math.floor(this.now())), RANDOM);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  check(nonce: string): NonceVerdict {
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === null) return 'invalid';
    const age = this.now() - issuedAt;
    if (age < -FUTURE_SKEW_MS) return 'invalid';
    return age > this.ttlMs ? 'stale' : 'valid';
  }

  /**
   * Accepts a nonce count (8 hex digits) only if it is higher than any seen before for this nonce on
   * this instance. Call after the response has been verified.
   */
  acceptCount(nonce: string, nc: string): boolean {
    if (!/^[0-9a-fA-F]{8}$/.test(nc)) return false;
    const count = parseInt(nc, 16);
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === null) return false;
    const seen = this.counts.get(nonce);
    if (seen && count <= seen.nc) return false;
    this.counts.delete(nonce);
    this.counts.set(nonce, { nc: count, issuedAt });
    this.prune();
    return true;
  }

  private issuedAt(nonce: string): number | null {
    if (!/^[A-Za-z0-9_-]+$/.test(nonce)) return null;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== LENGTH) return null;
    const body = raw.subarray(0, RANDOM + TIME);
    if (!timingSafeEqual(raw.subarray(RANDOM + TIME), this.mac(body))) return null;
    return Number(body.readBigUInt64BE(RANDOM));
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update('sip-digest-nonce\u0000').update(this.realm).update('\u0000').update(body).digest().subarray(0, MAC);
  }

  private prune(): void {
    const oldest = this.now() - this.ttlMs - FUTURE_SKEW_MS;
    for (const [nonce, entry] of this.counts) {
      if (entry.issuedAt >= oldest && this.counts.size <= this.maxTracked) break;
      this.counts.delete(nonce);
    }
  }
}
