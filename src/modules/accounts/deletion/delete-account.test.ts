import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, postSignUp, signUp, useTestApp } from '../../../testing/harness.ts';
import { orgIdOf, ownersOf } from '../../../testing/factories.ts';
import { addMember } from '../../orgs/service.ts';
import { auditOf, mailsTo, userId, IPHONE_SAFARI, signedIn, accountSettingsHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { signIn, sessionIds } = accountSettingsHelpers(t);

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
      await orgIdOf(t, owner.slug),
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
    const hostOrg = await orgIdOf(t, host.slug);
    const soloOrg = await orgIdOf(t, leaver.slug);
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
    const signUpAgain = await postSignUp(new Agent(t.app, '10.61.0.2'), {
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
    const orgId = await orgIdOf(t, first.slug);
    const secondId = await userId(t.owner, second.email);
    await addMember(t.db, { userId: await userId(t.owner, first.email) }, orgId, secondId, 'owner');
    await first.agent.get('/account/delete');
    assert.equal(
      (await first.agent.post('/account/delete', { current_password: first.password, confirm: 'yes' })).statusCode,
      303,
    );
    const owners = await ownersOf(t, orgId);
    assert.deepEqual(owners, [{ user_id: secondId }]);
  });
});
