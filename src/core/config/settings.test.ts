import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRODUCTION_ENV } from '../../testing/harness.ts';
import { DEV_SECRET_KEY, loadSettings, SettingsError } from './settings.ts';

const PROD = PRODUCTION_ENV;

function refusal(env: Record<string, string | undefined>): SettingsError {
  try {
    loadSettings(env);
  } catch (err) {
    assert.ok(err instanceof SettingsError, `expected a SettingsError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected loadSettings to refuse');
}

describe('settings', () => {
  it('production refuses a missing SECRET_KEY, naming it', () => {
    const err = refusal({ ...PROD, SECRET_KEY: undefined });
    assert.equal(err.setting, 'SECRET_KEY');
  });

  it('production refuses a short, repetitive or development SECRET_KEY', () => {
    assert.equal(refusal({ ...PROD, SECRET_KEY: 'short' }).setting, 'SECRET_KEY');
    assert.equal(refusal({ ...PROD, SECRET_KEY: 'a'.repeat(64) }).setting, 'SECRET_KEY');
    assert.equal(refusal({ ...PROD, SECRET_KEY: DEV_SECRET_KEY }).setting, 'SECRET_KEY');
  });

  it('production refuses a missing DATABASE_URL', () => {
    assert.equal(refusal({ ...PROD, DATABASE_URL: undefined }).setting, 'DATABASE_URL');
  });

  it('production refuses cookies that would not be Secure', () => {
    assert.equal(refusal({ ...PROD, COOKIE_SECURE: 'false' }).setting, 'COOKIE_SECURE');
  });

  it('production refuses an empty allowed host list', () => {
    assert.equal(refusal({ ...PROD, ALLOWED_HOSTS: '' }).setting, 'ALLOWED_HOSTS');
    assert.equal(refusal({ ...PROD, ALLOWED_HOSTS: undefined }).setting, 'ALLOWED_HOSTS');
  });

  it('production refuses a plain-http BASE_URL and a missing SMTP_URL', () => {
    assert.equal(refusal({ ...PROD, BASE_URL: 'http://ledgerworks.example.com' }).setting, 'BASE_URL');
    assert.equal(refusal({ ...PROD, SMTP_URL: undefined }).setting, 'SMTP_URL');
  });

  it('a malformed value is refused with its name in any environment', () => {
    assert.equal(refusal({ PORT: 'eighty' }).setting, 'PORT');
    assert.equal(refusal({ CSP_REPORT_ONLY: 'maybe' }).setting, 'CSP_REPORT_ONLY');
  });

  it('accepts a complete production configuration with secure cookies on', () => {
    const s = loadSettings(PROD);
    assert.equal(s.isProduction, true);
    assert.equal(s.cookieSecure, true);
    assert.deepEqual(s.allowedHosts, ['ledgerworks.example.com']);
  });

  it('development works with no settings at all', () => {
    const s = loadSettings({});
    assert.equal(s.env, 'development');
    assert.equal(s.port, 3000);
    assert.equal(s.cookieSecure, false);
    assert.equal(s.databaseUrl, undefined);
    assert.equal(s.baseUrl, 'http://localhost:3000');
  });
});
