// Helpers shared by the account tests: read what the app mailed and audited; two-factor codes, enrolment and sign-in; signing in from other browsers.
import type { Db } from '../../core/db/pool.ts';
import assert from 'node:assert/strict';
import { Agent, signUp, type TestApp } from '../../testing/harness.ts';
import { codeAt } from './two-factor/totp.ts';
import { openTotpSecret } from './two-factor/two-factor.ts';

export function mailsTo(owner: Db, to: string) {
  return owner
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'text_body', 'dedupe_key'])
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
}

/** The token of the first link to `path` (e.g. /password/reset/) in a mail body. */
export function tokenIn(text: string, path: string): string {
  const escaped = path.replace(/[/.]/g, '\\$&');
  const m = new RegExp(`${escaped}([A-Za-z0-9_-]{20,})`).exec(text);
  if (!m?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return m[1];
}

export function auditOf(owner: Db, userId: string, action: string) {
  return owner
    .selectFrom('audit_log')
    .select(['action', 'changes', 'ip', 'request_id', 'org_id'])
    .where('target_id', '=', userId)
    .where('action', '=', action)
    .execute();
}

export async function userId(owner: Db, email: string): Promise<string> {
  return (await owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** The stored password hash of the account at `email`. */
export async function passwordHashOf(owner: Db, email: string): Promise<string> {
  return (await owner.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow())
    .password_hash;
}

/** Every token (a reset link, an email change) the account at `email` holds, used or not. */
export async function tokensOf(owner: Db, email: string) {
  return owner
    .selectFrom('user_tokens')
    .selectAll()
    .where('user_id', '=', await userId(owner, email))
    .execute();
}

let ipCounter = 0;

export function nextIp(): string {
  ipCounter += 1;
  return `10.60.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

/** The code an authenticator app shows `steps` time steps from now. */
export function code(secret: string, steps = 0): string {
  return codeAt(secret, Date.now() + steps * 30_000);
}

export function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => code(secret, s)));
  let c = 123456;
  while (valid.has(String(c))) c += 1;
  return String(c);
}

/** Every person signUp() creates has this password. */
export const PASSWORD = 'correct horse battery staple';

export function recoveryCodesIn(html: string): string[] {
  return [...html.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
}

/** Two-factor helpers bound to the test file’s app (each test file has its own). */
export function twoFactorHelpers(t: TestApp) {
  async function userIdOf(email: string): Promise<string> {
    return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  }

  async function secretOf(userId: string): Promise<string> {
    const row = await t.owner
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.ok(row.totp_secret, 'a secret is stored');
    return openTotpSecret(t.services.secrets, userId, row.totp_secret);
  }

  /** As if the next time step had come: the replay guard would otherwise (rightly) refuse a second code within 30 s. */
  async function nextTimeStep(userId: string): Promise<void> {
    await t.owner.updateTable('users').set({ totp_last_step: null }).where('id', '=', userId).execute();
  }

  async function enrol(agent: Agent, userId: string): Promise<{ secret: string; codes: string[] }> {
    await agent.get('/account/two-factor');
    assert.equal((await agent.post('/account/two-factor/setup', {})).statusCode, 303);
    await agent.get('/account/two-factor');
    const secret = await secretOf(userId);
    const res = await agent.post('/account/two-factor/confirm', { code: code(secret), password: PASSWORD });
    assert.equal(res.statusCode, 200);
    await nextTimeStep(userId);
    return { secret, codes: recoveryCodesIn(res.body) };
  }

  /** A person with two-factor on, signed out, with what they need to sign in. */
  async function personWithTwoFactor() {
    const s = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(s.email);
    const enrolled = await enrol(s.agent, userId);
    await s.agent.post('/logout', {});
    return { ...s, userId, ...enrolled };
  }

  /** Right password, on a fresh browser: lands on the code step. */
  async function passwordStep(email: string, password: string, next?: string) {
    const agent = new Agent(t.app, nextIp());
    await agent.get('/login');
    const res = await agent.post(next ? `/login?next=${encodeURIComponent(next)}` : '/login', { email, password });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login/two-factor');
    assert.equal((await agent.get('/login/two-factor')).statusCode, 200);
    return agent;
  }

  function actionsOf(userId: string) {
    return t.owner
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('target_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  function mailsTo(email: string) {
    return t.owner
      .selectFrom('mail_outbox')
      .select(['subject', 'text_body'])
      .where('to_address', '=', email)
      .orderBy('id')
      .execute();
  }
  return { userIdOf, secretOf, nextTimeStep, enrol, personWithTwoFactor, passwordStep, actionsOf, mailsTo };
}

export const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

export const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

export const signedIn = async (agent: Agent) => (await agent.get('/account')).statusCode === 200;

/** Account-settings helpers bound to the test file’s app (each test file has its own). */
export function accountSettingsHelpers(t: TestApp) {
  let ipCounter = 0;

  /** Signs the person in from another browser. */
  async function signIn(email: string, password: string, userAgent = WINDOWS_FIREFOX) {
    ipCounter += 1;
    const agent = new Agent(t.app, `10.60.0.${ipCounter}`);
    await agent.get('/login');
    const res = await agent.post('/login', { email, password }, { headers: { 'user-agent': userAgent } });
    assert.equal(res.statusCode, 303);
    return agent;
  }

  async function sessionIds(id: string) {
    return (await t.owner.selectFrom('sessions').select('public_id').where('user_id', '=', id).execute()).map(
      (s) => s.public_id,
    );
  }
  return { signIn, sessionIds };
}
