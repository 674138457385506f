import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, useTestApp } from '../../../testing/harness.ts';
import { code, nextIp, wrongCode, twoFactorHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { personWithTwoFactor, passwordStep, actionsOf, mailsTo } = twoFactorHelpers(t);

describe('signing in with two-factor', () => {
  it('the right password alone does not sign in: no session cookie before the code', async () => {
    const { email, password, slug, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    assert.equal(agent.cookie('session'), undefined);
    assert.ok(agent.cookie('pending_login'), 'the pending login is carried in a cookie');
    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 302);
    const logins = (await actionsOf(userId)).filter((a) => a.action === 'account.logged_in');
    assert.equal(logins.length, 1, 'only the sign-up login so far');
  });

  it('a wrong code is refused and wrong codes count toward the lockout', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const wrong = await agent.post('/login/two-factor', { code: wrongCode(secret) });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /That code is not valid/);
    assert.equal(agent.cookie('session'), undefined);
    for (let i = 0; i < 3; i++) await agent.post('/login/two-factor', { code: wrongCode(secret) });
    const fifth = await agent.post('/login/two-factor', { code: wrongCode(secret) });
    assert.match(fifth.body, /temporarily locked/);
    const user = await t.owner
      .selectFrom('users')
      .select(['failed_logins', 'lockouts', 'locked_until'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.lockouts, 1);
    assert.ok(user.locked_until && user.locked_until > new Date());
    // Locked: the right password no longer leads to the code step.
    const retry = new Agent(t.app, nextIp());
    await retry.get('/login');
    const refused = await retry.post('/login', { email, password });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /temporarily locked/);
    assert.equal(retry.cookie('pending_login'), undefined);
    const reasons = (await actionsOf(userId))
      .filter((a) => a.action === 'account.login_failed')
      .map((a) => (a.changes as { reason: string }).reason);
    assert.deepEqual(reasons, [...Array<string>(5).fill('wrong code'), 'locked']);
  });

  it('a valid code starts the session, honours next, and the login is audited with mfa: totp', async () => {
    const { email, password, slug, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password, `/o/${slug}/members`);
    const res = await agent.post('/login/two-factor', { code: code(secret) });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${slug}/members`);
    assert.ok(agent.cookie('session'));
    assert.equal(agent.cookie('pending_login'), undefined, 'the pending login is cleared');
    assert.equal((await agent.get(`/o/${slug}/members`)).statusCode, 200);
    const last = (await actionsOf(userId)).filter((a) => a.action === 'account.logged_in').at(-1)!;
    assert.deepEqual(last.changes, { mfa: 'totp' });
  });

  it('a replayed code is refused, and so is a code older than the last one used', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const used = code(secret);
    const first = await passwordStep(email, password);
    assert.equal((await first.post('/login/two-factor', { code: used })).statusCode, 303);
    const second = await passwordStep(email, password);
    const replay = await second.post('/login/two-factor', { code: used });
    assert.equal(replay.statusCode, 401);
    assert.equal(second.cookie('session'), undefined);
    const older = await second.post('/login/two-factor', { code: code(secret, -1) });
    assert.equal(older.statusCode, 401, 'a code of an earlier time step, though within the window');
    const user = await t.owner
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.failed_logins, 2, 'replays count as failures');
  });

  it('an expired or forged pending-login cookie is refused', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const name = [...agent.cookies.keys()].find((k) => k.endsWith('pending_login'))!;
    const genuine = agent.cookies.get(name)!;

    // Forged: another value under the old signature, or no signature at all.
    const forged = encodeURIComponent(
      `${JSON.stringify({ userId, expires: Date.now() + 600_000, next: null })}.${decodeURIComponent(genuine).split('.').at(-1)}`,
    );
    for (const value of [
      forged,
      encodeURIComponent(JSON.stringify({ userId, expires: Date.now() + 600_000, next: null })),
    ]) {
      agent.cookies.set(name, value);
      const res = await agent.post('/login/two-factor', { code: code(secret) });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/login');
      assert.equal(agent.cookie('session'), undefined);
    }

    // Expired: correctly signed, but its ten minutes are over.
    agent.cookies.set(
      name,
      encodeURIComponent(t.app.signCookie(JSON.stringify({ userId, expires: Date.now() - 1000, next: null }))),
    );
    const expired = await agent.post('/login/two-factor', { code: code(secret) });
    assert.equal(expired.statusCode, 303);
    assert.equal(expired.headers.location, '/login');
    assert.equal(agent.cookie('session'), undefined);
    assert.match((await agent.get('/login')).body, /Your sign-in expired/);

    // The genuine one still works (nothing above spent the code).
    agent.cookies.set(name, genuine);
    assert.equal((await agent.post('/login/two-factor', { code: code(secret) })).statusCode, 303);
    assert.ok(agent.cookie('session'));
  });

  it('a recovery code signs in once; the second use is refused; its use is audited and emailed', async () => {
    const { email, password, codes, userId, slug } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const res = await agent.post('/login/two-factor', { code: codes[0]!.toUpperCase() });
    assert.equal(res.statusCode, 303);
    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 200);
    const again = await passwordStep(email, password);
    const reuse = await again.post('/login/two-factor', { code: codes[0]! });
    assert.equal(reuse.statusCode, 401);
    assert.equal(again.cookie('session'), undefined);
    const audit = await actionsOf(userId);
    assert.deepEqual(audit.find((a) => a.action === 'account.recovery_code_used')?.changes, { codes_left: 9 });
    assert.deepEqual(audit.filter((a) => a.action === 'account.logged_in').at(-1)?.changes, { mfa: 'recovery_code' });
    const mail = (await mailsTo(email)).find((m) => m.subject === 'A recovery code was used to sign in');
    assert.match(String(mail?.text_body), /9 unused codes left/);
  });
});
