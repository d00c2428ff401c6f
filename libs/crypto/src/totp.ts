import { HashAlgorithms, KeyEncodings } from '@otplib/core';
import { totp } from 'otplib';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: number;
  stepSeconds: number;
}

/** What authenticator apps expect: SHA-1, 6 digits, 30 seconds. */
export const DEFAULT_TOTP: TotpParams = { algorithm: 'sha1', digits: 6, stepSeconds: 30 };

const ALGORITHMS: Record<TotpAlgorithm, HashAlgorithms> = {
  sha1: HashAlgorithms.SHA1,
  sha256: HashAlgorithms.SHA256,
  sha512: HashAlgorithms.SHA512,
};

function instance(params: TotpParams, epochMs: number, window = 0) {
  return totp.clone({
    algorithm: ALGORITHMS[params.algorithm],
    digits: params.digits,
    step: params.stepSeconds,
    epoch: epochMs,
    window,
    encoding: KeyEncodings.HEX,
  });
}

/** RFC 6238 TOTP (through otplib) for a raw secret at a given time. */
export function totpAt(secret: Buffer, epochMs: number, params: TotpParams = DEFAULT_TOTP): string {
  return instance(params, epochMs).generate(secret.toString('hex'));
}

/** The time step a code belongs to, or null. The step is what replay protection stores. */
export function totpStepOf(epochMs: number, params: TotpParams = DEFAULT_TOTP): number {
  return Math.floor(epochMs / 1000 / params.stepSeconds);
}

/**
 * Finds the step, within ±window steps of now, whose code is `code`; null when none matches.
 * Returning the step (not a boolean) lets the caller refuse a code whose step was already used.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  nowMs: number,
  window = 1,
  params: TotpParams = DEFAULT_TOTP,
): number | null {
  if (!new RegExp(`^\\d{${params.digits}}$`).test(code)) return null;
  const delta = instance(params, nowMs, window).checkDelta(code, secret.toString('hex'));
  return delta === null ? null : totpStepOf(nowMs, params) + delta;
}
