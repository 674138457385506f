import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../../testing/harness.ts';
import { auditOf, mailsTo, passwordHashOf, userId, signedIn, accountSettingsHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { signIn } = accountSettingsHelpers(t);

describe('password change', () => {
  it('a wrong current password gets a 422 beside the field and changes nothing', async () => {
    const { agent, email } = await signUp(t.app);
    const before = await passwordHashOf(t.owner, email);
    await agent.get('/account/password');
    const res = await agent.post('/account/password', {
      current_password: 'wrong password here',
      password: 'a new long password',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That is not your current password/);
    const after = await passwordHashOf(t.owner, email);
    assert.equal(after, before);
  });

  it('a new password too short gets a 422 beside the field', async () => {
    const { agent, password } = await signUp(t.app);
    await agent.get('/account/password');
    const res = await agent.post('/account/password', { current_password: password, password: 'short' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Use at least 10 characters/);
  });

  it('changing the password ends every other session but not this one, audits it and sends a notice', async () => {
    const { agent, email, password } = await signUp(t.app);
    const other = await signIn(email, password);
    await agent.get('/account/password');
    const res = await agent.post('/account/password', { current_password: password, password: 'my new long password' });
    assert.equal(res.statusCode, 303);
    assert.equal(await signedIn(agent), true, 'this browser stays signed in');
    assert.equal(await signedIn(other), false, 'the other browser is signed out');
    const id = await userId(t.owner, email);
    const audit = await auditOf(t.owner, id, 'account.password_changed');
    assert.deepEqual(audit[0]?.changes, { devices_signed_out: 1 });
    assert.ok((await mailsTo(t.owner, email)).some((m) => m.subject === 'Your Ledgerworks password was changed'));
    await signIn(email, 'my new long password');
  });
});
