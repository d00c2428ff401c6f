import * as thirtyTwo from 'thirty-two';

/**
 * RFC 4648 base32 of raw bytes, as authenticator apps expect in otpauth:// URIs. (otplib's own
 * encoder, given a hex secret, drops the high bit of every byte: never use it for this.)
 */
export function base32Encode(bytes: Buffer): string {
  return thirtyTwo.encode(bytes).toString('ascii').replace(/=+$/, '');
}

export function base32Decode(text: string): Buffer {
  return thirtyTwo.decode(text.toUpperCase());
}
