import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { auditOf, userId, IPHONE_SAFARI, WINDOWS_FIREFOX, signedIn, accountSettingsHelpers } from '../test-helpers.ts';
import { describeDevice } from './user-agent.ts';

const t = useTestApp();

const { signIn, sessionIds } = accountSettingsHelpers(t);

describe('signed-in devices', () => {
  it('names browsers and systems from the user agent', () => {
    assert.equal(describeDevice(IPHONE_SAFARI), 'Safari 17 on iPhone');
    assert.equal(describeDevice(WINDOWS_FIREFOX), 'Firefox 125 on Windows');
    assert.equal(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
      ),
      'Edge 124 on macOS',
    );
    assert.equal(
      describeDevice(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
      ),
      'Chrome 124 on Android',
    );
    assert.equal(describeDevice(null), 'Unknown device');
  });

  it('lists each live session with device, address and times, marking this device', async () => {
    const { agent, email, password } = await signUp(t.app);
    await signIn(email, password, IPHONE_SAFARI);
    const page = await agent.get('/account/sessions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Safari 17 on iPhone/);
    assert.match(page.body, /10\.60\.0\.\d+/);
    assert.equal((page.body.match(/This device/g) ?? []).length, 1);
    assert.equal((page.body.match(/Sign out this session/g) ?? []).length, 1, 'only the other session gets the button');
  });

  it('a session id of another user answers 404 and changes nothing', async () => {
    const alice = await signUp(t.app);
    const bob = await signUp(t.app);
    const [bobSession] = await sessionIds(await userId(t.owner, bob.email));
    await alice.agent.get('/account/sessions');
    const res = await alice.agent.post(`/account/sessions/${bobSession}/revoke`, {});
    assert.equal(res.statusCode, 404);
    assert.equal(await signedIn(bob.agent), true);
    assert.equal((await alice.agent.post('/account/sessions/not-a-uuid/revoke', {})).statusCode, 404);
  });

  it('signs out one chosen session, and audits it', async () => {
    const { agent, email, password } = await signUp(t.app);
    const phone = await signIn(email, password, IPHONE_SAFARI);
    const id = await userId(t.owner, email);
    const phoneSession = await t.owner
      .selectFrom('sessions')
      .select('public_id')
      .where('user_id', '=', id)
      .where('user_agent', '=', IPHONE_SAFARI)
      .executeTakeFirstOrThrow();
    await agent.get('/account/sessions');
    const res = await agent.post(`/account/sessions/${phoneSession.public_id}/revoke`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(await signedIn(phone), false);
    assert.equal(await signedIn(agent), true);
    const audit = await auditOf(t.owner, id, 'account.session_revoked');
    assert.equal((audit[0]?.changes as { device: string }).device, 'Safari 17 on iPhone');
  });

  it('"sign out everywhere else" ends every other session and keeps this one', async () => {
    const { agent, email, password } = await signUp(t.app);
    const others = [await signIn(email, password), await signIn(email, password, IPHONE_SAFARI)];
    await agent.get('/account/sessions');
    const res = await agent.post('/account/sessions/others/revoke', {});
    assert.equal(res.statusCode, 303);
    assert.equal(await signedIn(agent), true);
    for (const o of others) assert.equal(await signedIn(o), false);
    const id = await userId(t.owner, email);
    assert.equal((await sessionIds(id)).length, 1);
    assert.deepEqual((await auditOf(t.owner, id, 'account.other_sessions_revoked'))[0]?.changes, {
      devices_signed_out: 2,
    });
  });
});

describe('recent security activity', () => {
  it("shows a person their own sign-ins and failures, never another person's", async () => {
    const alice = await signUp(t.app);
    const bob = await signUp(t.app);
    const stranger = new Agent(t.app, '10.61.0.1');
    await stranger.get('/login');
    await stranger.post('/login', { email: alice.email, password: 'not the password' });
    await signIn(bob.email, bob.password);
    const page = await alice.agent.get('/account/sessions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Recent security activity/);
    assert.match(page.body, /Failed sign-in/);
    assert.match(page.body, /wrong password/);
    assert.match(page.body, /10\.61\.0\.1/);
    const bobs = await bob.agent.get('/account/sessions');
    assert.doesNotMatch(bobs.body, /10\.61\.0\.1/, "Bob does not see the failure on Alice's account");
    assert.doesNotMatch(bobs.body, /Failed sign-in/);
  });
});
