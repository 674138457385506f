import { createHash, randomBytes } from 'node:crypto';

/** What newToken() makes: 32 random bytes in base64url, no padding. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A URL-safe random token with 256 bits of entropy. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash is stored, so a database leak does not leak usable tokens. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
