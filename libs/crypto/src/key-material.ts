/** For @Env checks: key material must be base64 of at least `minBytes` bytes. */
export function base64KeyProblem(value: unknown, minBytes = 32): string | null {
  const raw = String(value);
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64').length : 0;
  return bytes >= minBytes ? null : `must be base64 of at least ${minBytes} random bytes`;
}
