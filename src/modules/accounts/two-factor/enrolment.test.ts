import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { PASSWORD, code, nextIp, recoveryCodesIn, wrongCode, twoFactorHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { userIdOf, secretOf, actionsOf, mailsTo } = twoFactorHelpers(t);

describe('two-factor enrolment', () => {
  it('a session alone cannot turn two-factor on: the password is needed, and other devices are signed out', async () => {
    const person = await signUp(t.app);
    const userId = (
      await t.owner.selectFrom('users').select('id').where('email', '=', person.email).executeTakeFirstOrThrow()
    ).id;
    const laptop = new Agent(t.app, '10.88.0.2');
    await laptop.get('/login');
    assert.equal((await laptop.post('/login', { email: person.email, password: PASSWORD })).statusCode, 303);
    await person.agent.get('/account/two-factor');
    await person.agent.post('/account/two-factor/setup', {});
    await person.agent.get('/account/two-factor');
    const secret = await secretOf(userId);
    const wrong = await person.agent.post('/account/two-factor/confirm', {
      code: code(secret),
      password: 'not my password',
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /not your current password/);
    const still = await t.owner
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(still.totp_enabled_at, null);
    assert.equal(
      (await person.agent.post('/account/two-factor/confirm', { code: code(secret), password: PASSWORD })).statusCode,
      200,
    );
    assert.equal((await laptop.get('/account')).statusCode, 302, 'the other device was signed out');
    assert.equal((await person.agent.get('/account')).statusCode, 200, 'this one stays signed in');
  });

  it('the two-factor page needs a signed-in person', async () => {
    const res = await new Agent(t.app, nextIp()).get('/account/two-factor');
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('enrolment needs a valid code: a wrong code is refused with 422 and two-factor stays off', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    const secret = await secretOf(userId);
    await agent.get('/account/two-factor');
    const res = await agent.post('/account/two-factor/confirm', { code: wrongCode(secret), password: PASSWORD });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That code is not valid/);
    const empty = await agent.post('/account/two-factor/confirm', { code: '', password: PASSWORD });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter the code/);
    const user = await t.owner
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.totp_enabled_at, null);
    assert.match(String(user.totp_secret), /^v1\./, 'the secret is stored sealed');
    assert.ok(!String(user.totp_secret).includes(secret), 'never in plain text');
    assert.equal(
      await t.owner.selectFrom('recovery_codes').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
      undefined,
    );
  });

  it('the enrolment page shows the secret and a QR code that needs no inline style (an SVG image, which img-src allows)', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    const page = await agent.get('/account/two-factor');
    const secret = await secretOf(userId);
    assert.ok(page.body.includes(secret.replace(/(.{4})(?=.)/g, '$1 ')), 'the key for manual entry');
    const src = /<img class="two-factor-qr" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)?.[1];
    assert.ok(src, 'a QR code image');
    const svg = Buffer.from(src, 'base64').toString('utf8');
    assert.match(svg, /^<svg /);
    assert.doesNotMatch(svg, /style|<script/i);
    assert.doesNotMatch(page.body, /\sstyle=/, 'no inline style attribute on the page');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /img-src 'self' data:/);
    assert.match(csp, /style-src 'self'(;|$)/);
  });

  it('a valid code turns it on and shows 10 recovery codes once; only their keyed hashes are stored', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    await agent.get('/account/two-factor');
    const key = agent.submissionKey!;
    const secret = await secretOf(userId);
    const res = await agent.post(
      '/account/two-factor/confirm',
      { code: code(secret), password: PASSWORD },
      { submission: key },
    );
    assert.equal(res.statusCode, 200);
    const codes = recoveryCodesIn(res.body);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);

    const again = await agent.post(
      '/account/two-factor/confirm',
      { code: code(secret), password: PASSWORD },
      { submission: key },
    );
    assert.equal(again.statusCode, 409, 'a resubmission does not show the codes again');
    assert.deepEqual(recoveryCodesIn(again.body), []);
    const status = await agent.get('/account/two-factor');
    assert.match(status.body, /On since/);
    assert.match(status.body, /10 unused recovery codes/);
    assert.deepEqual(recoveryCodesIn(status.body), []);

    const stored = await t.owner
      .selectFrom('recovery_codes')
      .select(['code_hash', 'used_at'])
      .where('user_id', '=', userId)
      .execute();
    assert.equal(stored.length, 10);
    const dump = stored.map((r) => `${r.code_hash.toString('hex')} ${r.code_hash.toString('latin1')}`).join(' ');
    for (const c of codes) assert.ok(!dump.includes(c) && !dump.includes(c.replace('-', '')), 'no code in plain text');
    assert.ok(stored.every((r) => r.code_hash.length === 32));

    const user = await t.owner
      .selectFrom('users')
      .select(['totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.ok(user.totp_enabled_at);
    const actions = (await actionsOf(userId)).map((a) => a.action);
    assert.ok(actions.includes('account.two_factor_setup_started') && actions.includes('account.two_factor_enabled'));
    assert.ok((await mailsTo(email)).some((m) => m.subject === 'Two-factor authentication is on'));
    const audit = JSON.stringify(await actionsOf(userId));
    assert.ok(!audit.includes(secret) && codes.every((c) => !audit.includes(c)), 'no secret in the audit log');
  });
});
