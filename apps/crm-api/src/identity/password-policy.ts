import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// zxcvbn's list of the most used passwords (tens of thousands), plus the obvious long ones people
// type when told "at least 12 characters".
const COMMON = new Set<string>(
  [
    ...dictionary.passwords,
    'passwordpassword',
    'password1234',
    'password12345',
    'password123456',
    'qwertyuiop123',
    'changeme1234',
    'welcome12345',
    'letmein12345',
    'administrator',
    'callcenter123',
  ].map((p) => p.toLowerCase()),
);
const SEQUENTIAL_DIGITS = '01234567890123456789';

/** Why a password is refused, or null when it is acceptable (NIST 800-63B: length and a blocklist). */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is on a list of commonly used passwords';
  if (/^(.)\1+$/.test(password)) return 'is one repeated character';
  if (/^\d+$/.test(password) && SEQUENTIAL_DIGITS.includes(password)) return 'is a run of digits';
  if (username && lower.includes(username.toLowerCase())) return 'must not contain the username';
  return null;
}
