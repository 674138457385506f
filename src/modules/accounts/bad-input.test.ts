import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';
import { newToken } from '../../core/security/tokens.ts';

const t = useTestApp();

let ipCounter = 0;
/** A client of its own, so that the per-address sign-in limits of one test never reach another. */
async function visitor(path = '/login'): Promise<Agent> {
  ipCounter += 1;
  const agent = new Agent(t.app, `10.71.0.${ipCounter}`);
  await agent.get(path);
  return agent;
}

describe('sign-in refuses bad input', () => {
  it('a NUL byte in the email field answers 400, and no sign-in is attempted', async () => {
    const { email } = await signUp(t.app);
    const agent = await visitor();
    const res = await agent.post('/login', { email: `${email}\0`, password: 'correct horse battery staple' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /session/);
  });

  it('a NUL byte in ?next= answers 400, on the form and on the sign-in itself', async () => {
    const { email, password } = await signUp(t.app);
    const agent = await visitor();
    const page = await agent.get('/login?next=%00');
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /NUL character/);
    const res = await agent.post('/login?next=/orgs%00', { email, password });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
  });

  it('a form with a missing field is shown again with the message (422), keeping the email', async () => {
    const agent = await visitor();
    const noPassword = await agent.post('/login?next=/orgs', { email: 'someone@example.test' });
    assert.equal(noPassword.statusCode, 422);
    assert.match(noPassword.body, /Enter your password/);
    assert.match(noPassword.body, /value="someone@example.test"/);
    // The way back after signing in is kept too.
    assert.match(noPassword.body, /action="\/login\?next=%2Forgs"/);
    const noEmail = await agent.post('/login', { password: 'whatever it is' });
    assert.equal(noEmail.statusCode, 422);
    assert.match(noEmail.body, /Enter your email/);
  });

  it('?next= given twice answers 400 naming the parameter, not a 500', async () => {
    const agent = await visitor();
    const res = await agent.get('/login?next=/a&next=/b');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /next/);
  });
});

describe('sign-up refuses bad input', () => {
  it('without an invitation, every missing field is named at once, the organization too', async () => {
    const agent = await visitor('/signup');
    const res = await agent.post('/signup', { email: 'new.person@example.test' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Tell us your name/);
    assert.match(res.body, /Use at least 10 characters/);
    assert.match(res.body, /Name your organization/);
    assert.match(res.body, /value="new.person@example.test"/);
  });

  it('a made-up invitation says the invitation is not open, whatever else the form holds', async () => {
    const agent = await visitor('/signup?invitation=made-up');
    const res = await agent.post('/signup', { invitation: 'made-up', name: '', email: 'x@example.test' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /This invitation is no longer open/);
  });
});

describe('link tokens', () => {
  it('a reset link that is not one of our tokens answers like an expired one (410), for GET and POST', async () => {
    const agent = await visitor('/password/forgot');
    for (const token of ['not-a-token', 'x'.repeat(44), newToken()]) {
      const page = await agent.get(`/password/reset/${token}`);
      assert.equal(page.statusCode, 410, token);
      assert.match(page.body, /This link no longer works/);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      const post = await agent.post(`/password/reset/${token}`, { password: 'a brand new password' });
      assert.equal(post.statusCode, 410, token);
      const bad = await agent.post(`/password/reset/${token}`, { password: 'short' });
      assert.equal(bad.statusCode, 410, token);
    }
  });

  it('an email change link that is not one of our tokens answers like an expired one (410)', async () => {
    const agent = await visitor('/password/forgot');
    for (const path of ['/account/email/confirm/abc', '/account/email/report/abc']) {
      const page = await agent.get(path);
      assert.equal(page.statusCode, 410, path);
      assert.match(page.body, /This link no longer works/);
      assert.equal((await agent.post(path, {})).statusCode, 410, path);
    }
  });

  it('an invitation link that is not one of our tokens is the clear 404, for GET and decline', async () => {
    const agent = await visitor('/password/forgot');
    const page = await agent.get('/invitations/short');
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /This invitation link is not valid/);
    const decline = await agent.post('/invitations/short/decline', {});
    assert.equal(decline.statusCode, 404);
    assert.match(decline.body, /This invitation link is not valid/);
  });

  it('a session id that is not an id answers 404 and signs nothing out', async () => {
    const { agent } = await signUp(t.app);
    await agent.get('/account/sessions');
    const res = await agent.post('/account/sessions/not-an-id/revoke', {});
    assert.equal(res.statusCode, 404);
    assert.equal((await agent.get('/account')).statusCode, 200);
  });
});

describe('two-factor pages', () => {
  it('an over-long ?org= answers 400, not a 500', async () => {
    const { agent } = await signUp(t.app);
    const res = await agent.get(`/account/two-factor?org=${'a'.repeat(300)}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /org/);
  });

  it('the code guesses are counted across the three forms that take one', async () => {
    const { agent } = await signUp(t.app);
    await agent.get('/account/two-factor/disable');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const path = ['/account/two-factor/disable', '/account/two-factor/recovery-codes', '/account/two-factor/confirm'][
        i % 3
      ]!;
      statuses.push((await agent.post(path, { code: '000000', password: 'wrong' })).statusCode);
    }
    assert.ok(!statuses.slice(0, 10).includes(429), `the first ten are not limited: ${statuses.join(',')}`);
    assert.equal(statuses[10], 429);
  });
});
