import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the app must read back (a TOTP secret) are sealed with AES-256-GCM; secrets it
 * only has to recognise (recovery codes) are stored as an HMAC. Both keys are derived from
 * SECRET_KEY with HKDF, one per purpose, so neither is the cookie-signing key itself and a
 * database dump alone reveals neither.
 */
export type SecretKeys = { readonly seal: Buffer; readonly mac: Buffer };

const VERSION = 'v1';

function derive(secretKey: string, info: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.from('ledgerworks secret box', 'utf8'), info, 32),
  );
}

/** The keys of one app, derived once from its SECRET_KEY. */
export function secretKeys(secretKey: string): SecretKeys {
  return { seal: derive(secretKey, 'seal v1'), mac: derive(secretKey, 'keyed hash v1') };
}

/**
 * Encrypts `plain`, bound to `context` (e.g. the owning user's id) as associated data:
 * a sealed value copied to another row does not open there.
 */
export function seal(keys: SecretKeys, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/** The plain text of a sealed value; throws when it was tampered with, moved, or sealed under another key. */
export function unseal(keys: SecretKeys, sealed: string, context: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** HMAC-SHA256 of a value under the derived key: equal inputs give equal hashes, a leak gives nothing usable. */
export function keyedHash(keys: SecretKeys, value: string): Buffer {
  return createHmac('sha256', keys.mac).update(value, 'utf8').digest();
}
