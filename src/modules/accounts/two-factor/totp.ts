import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { keyedHash, type SecretKeys } from '../../../core/security/secret-box.ts';

// The parameters every authenticator app assumes: SHA-1, 6 digits, 30-second steps.
const PERIOD = 30;
const DIGITS = 6;

function totpFor(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: 'Ledgerworks',
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
  });
}

/** A fresh 160-bit secret, in base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, accountName: string): string {
  return totpFor(secret, accountName).toString();
}

/** The QR code of the otpauth URI, as an SVG data URI (allowed by img-src; no inline style). */
export async function qrDataUri(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * The time step of a valid code: the current one or one either side (clocks drift, people
 * type slowly), or null. The caller refuses a step already used.
 */
export function codeStep(secret: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

/** The code for a moment (tests, and nothing else, need to produce one). */
export function codeAt(secret: string, timestamp = Date.now()): string {
  return totpFor(secret).generate({ timestamp });
}

export type EnteredCode = { kind: 'totp'; code: string } | { kind: 'recovery'; hash: Buffer } | { kind: 'malformed' };

/** What the person typed: a 6-digit code, a recovery code (dashes and spaces ignored), or neither. */
export function readCode(keys: SecretKeys, raw: string): EnteredCode {
  const s = raw.toLowerCase().replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(s)) return { kind: 'totp', code: s };
  if (new RegExp(`^[${ALPHABET}]{${RECOVERY_LENGTH}}$`).test(s))
    return { kind: 'recovery', hash: keyedHash(keys, `recovery:${s}`) };
  return { kind: 'malformed' };
}

// No 0/o, 1/l/i: codes are copied by hand from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

/** Ten single-use codes like "k7m2p-x9qrt" (about 50 bits each), with the keyed hashes that are all we store. */
export function newRecoveryCodes(keys: SecretKeys): { codes: string[]; hashes: Buffer[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = Array.from({ length: RECOVERY_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
  return { codes, hashes: codes.map((c) => keyedHash(keys, `recovery:${c.replace('-', '')}`)) };
}
