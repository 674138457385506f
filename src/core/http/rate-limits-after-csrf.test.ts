// A route's rate limit counts only requests that passed the CSRF check: cross-site forms posted
// from a person's browser (their IP, no token) are refused with 403 and leave the person's
// allowance as it was, so a hostile page cannot lock them out of their own forms. Requests with a
// valid token are limited exactly as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

const FORGED = 12;

/** `n` posts without the CSRF token, each refused as forged (never 429). */
async function forge(agent: Agent, url: string, fields: Record<string, string>, n = FORGED) {
  for (let i = 0; i < n; i++) {
    const res = await agent.post(url, fields, { csrf: false });
    assert.equal(res.statusCode, 403, `forged post ${i + 1} to ${url}: ${res.statusCode}`);
  }
}

/** Posts with a valid token until the limit answers 429; fails if it never does within `max` + 1. */
async function untilLimited(agent: Agent, page: string, url: string, fields: Record<string, string>, max: number) {
  for (let i = 0; i <= max; i++) {
    await agent.get(page);
    const res = await agent.post(url, fields);
    if (res.statusCode === 429) return i;
    assert.notEqual(res.statusCode, 403, `post ${i + 1} to ${url} failed CSRF`);
  }
  assert.fail(`${url} never answered 429 after ${max + 1} posts with a valid token`);
}

describe('rate limits count after CSRF', () => {
  it('forged sign-up posts do not use up the sign-up limit of the IP; real ones still hit it', async () => {
    const browser = new Agent(t.app, '10.77.0.1');
    await browser.get('/signup');
    await forge(browser, '/signup', { name: 'Mallory', email: 'x@example.test', password: 'x', organization: 'x' });
    await browser.get('/signup');
    const res = await browser.post('/signup', {
      name: 'Vic Tim',
      email: 'vic.tim.signup@example.test',
      password: 'correct horse battery staple',
      organization: 'Vic Org',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const other = new Agent(t.app, '10.77.0.2');
    const counted = await untilLimited(
      other,
      '/signup',
      '/signup',
      { name: '', email: '', password: '', organization: '' },
      10,
    );
    assert.equal(counted, 10, 'the limit of 10 an hour still holds for posts with a token');
  });

  it('forged password changes do not lock the person out of /account/password; real ones are still limited', async () => {
    const { agent, password } = await signUp(t.app, { ip: '10.77.1.1' });
    await agent.get('/account/password');
    await forge(agent, '/account/password', { current_password: 'guess', password: 'attacker chosen password' });
    await agent.get('/account/password');
    const res = await agent.post('/account/password', { current_password: password, password: 'my new long password' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const counted = await untilLimited(
      agent,
      '/account/password',
      '/account/password',
      { current_password: 'my new long password', password: 'short' },
      10,
    );
    assert.equal(counted, 9, 'the real change and 9 more use up the 10 an hour');
  });

  it('forged posts to /orgs/new do not use up its limit; real ones are still limited', async () => {
    const { agent } = await signUp(t.app, { ip: '10.77.2.1' });
    await agent.get('/orgs/new');
    await forge(agent, '/orgs/new', { name: 'Forged Org' }, 25);
    await agent.get('/orgs/new');
    const res = await agent.post('/orgs/new', { name: 'Second Real Org' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const counted = await untilLimited(agent, '/orgs/new', '/orgs/new', { name: '' }, 20);
    assert.equal(counted, 19, 'the real one and 19 more use up the 20 an hour');
  });

  it('forged invitations do not use up the inviting limit; real ones are still limited', async () => {
    const { agent, slug } = await signUp(t.app, { ip: '10.77.3.1' });
    const url = `/o/${slug}/invitations`;
    await agent.get(url);
    await forge(agent, url, { email: 'accomplice@evil.test', role: 'owner' }, 65);
    await agent.get(url);
    const res = await agent.post(url, { email: 'colleague.real@example.test', role: 'member' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const counted = await untilLimited(agent, url, url, { email: 'not an address', role: 'member' }, 60);
    assert.equal(counted, 59, 'the real one and 59 more use up the 60 an hour');
  });
});
