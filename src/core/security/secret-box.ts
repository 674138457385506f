import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the app must read back (a TOTP secret) are sealed with AES-256-GCM; secrets it
 * only has to recognise (recovery codes) are stored as an HMAC. Both keys are derived from
 * SECRET_KEY with HKDF, one per purpose, so neither is the cookie-signing key itself and a
 * database dump alone reveals neither.
 */
type Keys = { seal: Buffer; mac: Buffer };
let keys: Keys | null = null;

const VERSION = 'v1';

function derive(secretKey: string, info: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.from('ledgerworks secret box', 'utf8'), info, 32),
  );
}

export function configureSecretBox(secretKey: string): void {
  keys = { seal: derive(secretKey, 'seal v1'), mac: derive(secretKey, 'keyed hash v1') };
}

function current(): Keys {
  if (!keys)
    throw new Error('the secret box is not configured: call configureSecretBox(settings.secretKey) at startup');
  return keys;
}

/**
 * Encrypts `plain`, bound to `context` (e.g. the owning user's id) as associated data:
 * a sealed value copied to another row does not open there.
 */
export function seal(plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current().seal, iv);
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
export function unseal(sealed: string, context: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', current().seal, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** HMAC-SHA256 of a value under the derived key: equal inputs give equal hashes, a leak gives nothing usable. */
export function keyedHash(value: string): Buffer {
  return createHmac('sha256', current().mac).update(value, 'utf8').digest();
}
