import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { maskUrlSecrets } from '../../../core/observability/logging.ts';
import { newToken } from '../../../core/security/tokens.ts';
import { signUp, useTestApp } from '../../../testing/harness.ts';
import { passwordResetHelpers } from './test-helpers.ts';
import { mailsTo, tokensOf } from '../test-helpers.ts';

const t = useTestApp();
const { freshAgent, requestReset, resetTasksDone } = passwordResetHelpers(t);

describe('password reset: one email per request, rate limits and bad input', () => {
  before(async () => {
    await t.startWorker();
  });

  it('two quick submits send one email (no second link within two minutes)', async () => {
    const { email } = await signUp(t.app);
    const agent = freshAgent();
    assert.equal((await requestReset(email, agent)).statusCode, 303);
    assert.equal((await requestReset(email, agent)).statusCode, 303);
    await resetTasksDone(email, 2);
    assert.equal((await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset')).length, 1);
    assert.equal((await tokensOf(t.owner, email)).length, 1);
  });

  it('per-email rate limit: the fourth request for one address within an hour is refused, whether or not it has an account', async () => {
    const { email } = await signUp(t.app);
    for (const address of [email, 'ghost-account@example.test']) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await requestReset(i % 2 ? address.toUpperCase() : address)).statusCode);
      assert.deepEqual(statuses, [303, 303, 303, 429], address);
    }
    const agent = freshAgent();
    await agent.get('/password/forgot');
    const res = await agent.post('/password/forgot', { email: 'ghost-account@example.test' });
    assert.match(res.body, /Too many reset requests for this address/);
  });

  it('per-address rate limit: one client gets ten requests an hour', async () => {
    const agent = freshAgent();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await requestReset(`someone${i}@example.test`, agent)).statusCode);
    assert.deepEqual(statuses, [...Array<number>(10).fill(303), 429]);
  });

  it('a deactivated account gets no reset email', async () => {
    const { email } = await signUp(t.app);
    await t.owner
      .updateTable('users')
      .set({ is_active: false, deactivated_at: sql<Date>`now()` })
      .where('email', '=', email)
      .execute();
    assert.equal((await requestReset(email)).statusCode, 303);
    await resetTasksDone(email);
    assert.equal((await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset')).length, 0);
  });

  it('a bad email address gets a 422 beside the field; the login page links to the reset', async () => {
    const agent = freshAgent();
    await agent.get('/password/forgot');
    const res = await agent.post('/password/forgot', { email: 'not-an-email' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /value="not-an-email"/);
    const login = await agent.get('/login');
    assert.match(login.body, /href="\/password\/forgot"[^>]*>Forgot your password\?/);
  });

  it('the token of a reset link is masked in request logs', () => {
    const token = newToken();
    assert.equal(maskUrlSecrets(`/password/reset/${token}`), '/password/reset/[redacted]');
    assert.equal(maskUrlSecrets(`/account/email/confirm/${token}?x=1`), '/account/email/confirm/[redacted]?x=1');
    assert.equal(maskUrlSecrets('/o/acme-finance/members'), '/o/acme-finance/members');
  });
});
