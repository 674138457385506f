import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';
import { addMember } from '../orgs/service.ts';
import { auditOf, mailsTo, userId } from './test-helpers.ts';
import { describeDevice } from './user-agent.ts';

const t = useTestApp();

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

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

const signedIn = async (agent: Agent) => (await agent.get('/account')).statusCode === 200;

async function sessionIds(id: string) {
  return (await t.owner.selectFrom('sessions').select('public_id').where('user_id', '=', id).execute()).map(
    (s) => s.public_id,
  );
}

async function orgIdOf(slug: string) {
  return (await t.owner.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

describe('account page and profile', () => {
  it('signed out, the account pages send you to sign in', async () => {
    const res = await new Agent(t.app).get('/account/sessions');
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('an unknown time zone is refused beside the field, keeping the name typed', async () => {
    const { agent, email } = await signUp(t.app);
    await agent.get('/account');
    const res = await agent.post('/account/profile', { name: 'Renamed Person', time_zone: 'Mars/Olympus_Mons' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Choose a time zone from the list/);
    assert.match(res.body, /value="Renamed Person"/);
    const user = await t.owner
      .selectFrom('users')
      .select(['name', 'time_zone'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(user.time_zone, 'UTC');
  });

  it('the profile form saves name and time zone, and audits what changed', async () => {
    const { agent, email } = await signUp(t.app);
    const page = await agent.get('/account');
    assert.match(page.body, /href="\/account\/two-factor"/, 'links to two-factor settings');
    assert.match(page.body, /href="\/account"[^>]*>\s*Account settings/, 'the user menu links here');
    const res = await agent.post('/account/profile', { name: 'New Name', time_zone: 'Europe/Zurich' });
    assert.equal(res.statusCode, 303);
    const user = await t.owner
      .selectFrom('users')
      .select(['id', 'name', 'time_zone'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.deepEqual([user.name, user.time_zone], ['New Name', 'Europe/Zurich']);
    const audit = await auditOf(t.owner, user.id, 'account.profile_updated');
    assert.deepEqual((audit[0]?.changes as { time_zone: unknown }).time_zone, { from: 'UTC', to: 'Europe/Zurich' });
  });
});

describe('password change', () => {
  it('a wrong current password gets a 422 beside the field and changes nothing', async () => {
    const { agent, email } = await signUp(t.app);
    const before = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    await agent.get('/account/password');
    const res = await agent.post('/account/password', {
      current_password: 'wrong password here',
      password: 'a new long password',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That is not your current password/);
    const after = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(after.password_hash, before.password_hash);
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

describe('delete account', () => {
  it('needs the current password and an explicit confirmation', async () => {
    const { agent, email, password } = await signUp(t.app);
    await agent.get('/account/delete');
    const unconfirmed = await agent.post('/account/delete', { current_password: password });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Tick the box/);
    const wrong = await agent.post('/account/delete', { current_password: 'wrong password', confirm: 'yes' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That is not your current password/);
    assert.equal(
      (await t.owner.selectFrom('users').select('is_active').where('email', '=', email).executeTakeFirstOrThrow())
        .is_active,
      true,
    );
  });

  it('is refused, naming the org, for the only owner of an organization with other members', async () => {
    const owner = await signUp(t.app, { org: 'Held Together Ltd' });
    const member = await signUp(t.app);
    const ownerId = await userId(t.owner, owner.email);
    await addMember(
      t.db,
      { userId: ownerId },
      await orgIdOf(owner.slug),
      await userId(t.owner, member.email),
      'member',
    );
    const page = await owner.agent.get('/account/delete');
    assert.match(page.body, /only owner of Held Together Ltd/);
    const res = await owner.agent.post('/account/delete', { current_password: owner.password, confirm: 'yes' });
    assert.equal(res.statusCode, 422);
    assert.match(
      res.body,
      /You are the only owner of Held Together Ltd, which has other members\. Make another member an owner first/,
    );
    assert.equal(await signedIn(owner.agent), true);
    const memberships = await t.owner.selectFrom('memberships').select('role').where('user_id', '=', ownerId).execute();
    assert.deepEqual(memberships, [{ role: 'owner' }]);
    assert.equal((await auditOf(t.owner, ownerId, 'account.deactivated')).length, 0);
  });

  it('signs out everywhere, leaves and deletes orgs as needed, frees the email, audits and sends a notice', async () => {
    const leaver = await signUp(t.app, { org: 'Solo Shop' });
    const phone = await signIn(leaver.email, leaver.password, IPHONE_SAFARI);
    const host = await signUp(t.app, { org: 'Host Org' });
    const id = await userId(t.owner, leaver.email);
    const hostOrg = await orgIdOf(host.slug);
    const soloOrg = await orgIdOf(leaver.slug);
    await addMember(t.db, { userId: await userId(t.owner, host.email) }, hostOrg, id, 'accountant');

    await leaver.agent.get('/account/delete');
    const res = await leaver.agent.post('/account/delete', { current_password: leaver.password, confirm: 'yes' });
    assert.equal(res.statusCode, 303);
    assert.equal(await signedIn(leaver.agent), false);
    assert.equal(await signedIn(phone), false);
    assert.equal((await sessionIds(id)).length, 0);

    const user = await t.owner.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(user.is_active, false);
    assert.ok(user.deactivated_at);
    assert.equal(user.email, `deactivated+${id}@deactivated.invalid`);
    assert.equal(
      await t.owner.selectFrom('organizations').select('id').where('id', '=', soloOrg).executeTakeFirst(),
      undefined,
      'the org only they belonged to is gone',
    );
    assert.ok(
      await t.owner.selectFrom('organizations').select('id').where('id', '=', hostOrg).executeTakeFirst(),
      'the shared org stays',
    );
    assert.equal(
      (await t.owner.selectFrom('memberships').select('org_id').where('user_id', '=', id).execute()).length,
      0,
    );
    assert.equal(await signedIn(host.agent), true);

    const audit = await auditOf(t.owner, id, 'account.deactivated');
    assert.deepEqual(audit[0]?.changes, { email: leaver.email, devices_signed_out: 2 });
    const removed = await auditOf(t.owner, id, 'member.removed');
    assert.equal(removed[0]?.org_id, hostOrg);
    assert.ok((await mailsTo(t.owner, leaver.email)).some((m) => m.subject === 'Your Ledgerworks account was deleted'));

    const login = new Agent(t.app, '10.61.0.1');
    await login.get('/login');
    assert.equal((await login.post('/login', { email: leaver.email, password: leaver.password })).statusCode, 401);
    const again = new Agent(t.app, '10.61.0.2');
    await again.get('/signup');
    const signUpAgain = await again.post('/signup', {
      name: 'Fresh Start',
      email: leaver.email,
      password: 'another long password',
      organization: 'Fresh Org',
    });
    assert.equal(signUpAgain.statusCode, 303, 'the address is free for a new account');
  });

  it('a co-owner can leave: the org keeps its other owner', async () => {
    const first = await signUp(t.app, { org: 'Two Owners' });
    const second = await signUp(t.app);
    const orgId = await orgIdOf(first.slug);
    const secondId = await userId(t.owner, second.email);
    await addMember(t.db, { userId: await userId(t.owner, first.email) }, orgId, secondId, 'owner');
    await first.agent.get('/account/delete');
    assert.equal(
      (await first.agent.post('/account/delete', { current_password: first.password, confirm: 'yes' })).statusCode,
      303,
    );
    const owners = await t.owner
      .selectFrom('memberships')
      .select('user_id')
      .where('org_id', '=', orgId)
      .where('role', '=', 'owner')
      .execute();
    assert.deepEqual(owners, [{ user_id: secondId }]);
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
