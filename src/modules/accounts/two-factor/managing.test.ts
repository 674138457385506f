import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { code, nextIp, recoveryCodesIn, wrongCode, twoFactorHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { userIdOf, nextTimeStep, enrol, personWithTwoFactor, passwordStep, actionsOf, mailsTo } = twoFactorHelpers(t);

describe('managing two-factor', () => {
  it('turning it off needs the current password and a current code', async () => {
    const { agent, email, password, secret, userId } = await personWithTwoFactor().then(async (p) => {
      const a = await passwordStep(p.email, p.password);
      await a.post('/login/two-factor', { code: code(p.secret) });
      await nextTimeStep(p.userId);
      return { ...p, agent: a };
    });
    await agent.get('/account/two-factor/disable');
    const noPassword = await agent.post('/account/two-factor/disable', {
      password: 'not my password',
      code: code(secret),
    });
    assert.equal(noPassword.statusCode, 422);
    assert.match(noPassword.body, /That is not your current password/);
    const noCode = await agent.post('/account/two-factor/disable', { password, code: wrongCode(secret) });
    assert.equal(noCode.statusCode, 422);
    assert.match(noCode.body, /That code is not valid/);
    const stillOn = await t.owner
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.ok(stillOn.totp_enabled_at);

    const off = await agent.post('/account/two-factor/disable', { password, code: code(secret) });
    assert.equal(off.statusCode, 303);
    const user = await t.owner
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, { totp_secret: null, totp_enabled_at: null });
    assert.equal(
      await t.owner.selectFrom('recovery_codes').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
      undefined,
    );
    assert.ok((await actionsOf(userId)).some((a) => a.action === 'account.two_factor_disabled'));
    assert.ok((await mailsTo(email)).some((m) => m.subject === 'Two-factor authentication was turned off'));
    // Signing in needs only the password again.
    const fresh = new Agent(t.app, nextIp());
    await fresh.get('/login');
    assert.equal((await fresh.post('/login', { email, password })).headers.location, '/');
  });

  it('new recovery codes need a current code, and the old ones stop working', async () => {
    const {
      agent,
      email,
      password,
      secret,
      codes: old,
      userId,
    } = await signUp(t.app, { ip: nextIp() }).then(async (s) => {
      const id = await userIdOf(s.email);
      return { ...s, userId: id, ...(await enrol(s.agent, id)) };
    });
    await agent.get('/account/two-factor/recovery-codes');
    const refused = await agent.post('/account/two-factor/recovery-codes', { code: wrongCode(secret) });
    assert.equal(refused.statusCode, 422);
    const byRecoveryCode = await agent.post('/account/two-factor/recovery-codes', { code: old[1]! });
    assert.equal(byRecoveryCode.statusCode, 422, 'a recovery code does not make new ones');
    const res = await agent.post('/account/two-factor/recovery-codes', { code: code(secret) });
    assert.equal(res.statusCode, 200);
    const fresh = recoveryCodesIn(res.body);
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !old.includes(c)));
    assert.ok((await actionsOf(userId)).some((a) => a.action === 'account.recovery_codes_regenerated'));

    await agent.post('/logout', {});
    const login = await passwordStep(email, password);
    assert.equal(
      (await login.post('/login/two-factor', { code: old[0]! })).statusCode,
      401,
      'an old code no longer works',
    );
    assert.equal((await login.post('/login/two-factor', { code: fresh[0]! })).statusCode, 303);
  });
});
