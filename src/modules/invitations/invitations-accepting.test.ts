import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';
import { invitationIdOf, invite, inviteLink, newAddress, sentInvitation } from './test-helpers.ts';
import { orgIdOf } from '../../testing/factories.ts';

const t = useTestApp();

/** Fills in the sign-up form that the invitation `token` opens, as `agent`. */
async function signUpInvited(agent: Agent, token: string, name: string, email: string) {
  await agent.get(`/signup?invitation=${token}`);
  return agent.post('/signup', { invitation: token, name, email, password: 'a long enough password' });
}

describe('invitations: accepting, declining, expiry, revoking and resending', () => {
  it('a new person signs up from the link and joins with the invited role, once', async () => {
    const address = newAddress();
    const { owner, link } = await sentInvitation(t, address, { org: 'Joinable Org', role: 'approver' });
    const invitee = new Agent(t.app, '10.9.0.1');
    const page = await invitee.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Create an account and join/);
    const token = link.split('/').pop()!;
    const res = await signUpInvited(invitee, token, 'Ivy Invitee', address);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${owner.slug}`);
    const home = await invitee.get(`/o/${owner.slug}`);
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /approver/);
    // No organization of their own was created, and the link is spent.
    assert.equal(
      (await t.owner.selectFrom('organizations').select('id').where('name', '=', 'Joinable Org').execute()).length,
      1,
    );
    const again = await new Agent(t.app).get(link);
    assert.match(again.body, /already been accepted/);
  });

  it('signing up from a link with another address is refused and creates nothing', async () => {
    const address = newAddress();
    const { link } = await sentInvitation(t, address);
    const token = link.split('/').pop()!;
    const a = new Agent(t.app, '10.9.0.2');
    const other = newAddress();
    const res = await signUpInvited(a, token, 'Sneaky', other);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /This invitation is for/);
    assert.equal(
      await t.owner.selectFrom('users').select('id').where('email', '=', other).executeTakeFirst(),
      undefined,
    );
  });

  it('signed in under another email, the invitee sees an explanation and a way to switch, not a silent join', async () => {
    const address = newAddress();
    const { owner, link } = await sentInvitation(t, address, { org: 'Wrong Door Org' });
    const someoneElse = await signUp(t.app);
    const page = await someoneElse.agent.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This invitation is for/);
    assert.match(page.body, /Sign out and continue as/);
    assert.doesNotMatch(page.body, /Accept and join/);
    const forced = await someoneElse.agent.post(`${link}/accept`, {});
    assert.equal(forced.statusCode, 409);
    assert.equal((await someoneElse.agent.get(`/o/${owner.slug}`)).statusCode, 404);
    // Switching: sign out with next= lands back on the invitation.
    const out = await someoneElse.agent.post('/logout', { next: link });
    assert.equal(out.headers.location, link);
  });

  it('an existing user with the invited address signs in and accepts', async () => {
    const existing = await signUp(t.app);
    const { owner, link } = await sentInvitation(t, existing.email, { role: 'accountant' });
    const page = await existing.agent.get(link);
    assert.match(page.body, /Accept and join/);
    const res = await existing.agent.post(`${link}/accept`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${owner.slug}`);
    const orgId = await orgIdOf(t, owner.slug);
    const actions = (await t.owner.selectFrom('audit_log').select('action').where('org_id', '=', orgId).execute()).map(
      (r) => r.action,
    );
    assert.ok(
      actions.includes('invitation.created') &&
        actions.includes('invitation.accepted') &&
        actions.includes('member.joined'),
    );
    // A second accept of the spent link changes nothing.
    assert.equal((await existing.agent.post(`${link}/accept`, {})).statusCode, 409);
  });

  it('an expired invitation cannot be accepted; inviting the address again replaces it', async () => {
    const existing = await signUp(t.app);
    const { owner, link } = await sentInvitation(t, existing.email);
    await t.owner
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000), created_at: new Date(Date.now() - 8 * 86400_000) })
      .where('org_id', '=', await orgIdOf(t, owner.slug))
      .where('email', '=', existing.email)
      .execute();
    const page = await existing.agent.get(link);
    assert.match(page.body, /expired/);
    assert.equal((await existing.agent.post(`${link}/accept`, {})).statusCode, 409);
    assert.equal((await invite(owner, existing.email)).statusCode, 303);
    const fresh = await inviteLink(t, existing.email);
    assert.notEqual(fresh, link);
    assert.equal((await existing.agent.post(`${fresh}/accept`, {})).statusCode, 303);
  });

  it('the invitee can decline without an account; the link then stops working', async () => {
    const address = newAddress();
    const { link } = await sentInvitation(t, address);
    const anon = new Agent(t.app, '10.9.0.3');
    await anon.get(link);
    const res = await anon.post(`${link}/decline`, {});
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /You declined/);
    assert.match((await anon.get(link)).body, /was declined/);
    const row = await t.owner
      .selectFrom('invitations')
      .select(['declined_at'])
      .where('email', '=', address)
      .executeTakeFirstOrThrow();
    assert.ok(row.declined_at);
  });

  it('a revoked invitation stops working; revoking twice says it is already revoked', async () => {
    const existing = await signUp(t.app);
    const { owner, link } = await sentInvitation(t, existing.email);
    const id = await invitationIdOf(t, existing.email);
    await owner.agent.get(`/o/${owner.slug}/invitations`);
    assert.equal((await owner.agent.post(`/o/${owner.slug}/invitations/${id}/revoke`, {})).statusCode, 303);
    assert.equal((await owner.agent.post(`/o/${owner.slug}/invitations/${id}/revoke`, {})).statusCode, 409);
    assert.match((await existing.agent.get(link)).body, /revoked/);
    assert.equal((await existing.agent.post(`${link}/accept`, {})).statusCode, 409);
  });

  it('resending sends a new link (the old one stops working) and is rate-limited', async () => {
    const address = newAddress();
    const { owner, link: first } = await sentInvitation(t, address);
    const id = await invitationIdOf(t, address);
    await owner.agent.get(`/o/${owner.slug}/invitations`);
    const tooSoon = await owner.agent.post(`/o/${owner.slug}/invitations/${id}/resend`, {});
    assert.equal(tooSoon.statusCode, 429);
    assert.match(tooSoon.body, /resend it in/);
    await t.owner
      .updateTable('invitations')
      .set({ last_sent_at: new Date(Date.now() - 11 * 60_000) })
      .where('id', '=', id)
      .execute();
    assert.equal((await owner.agent.post(`/o/${owner.slug}/invitations/${id}/resend`, {})).statusCode, 303);
    const second = await inviteLink(t, address);
    assert.notEqual(second, first);
    assert.equal((await new Agent(t.app).get(first)).statusCode, 404);
    assert.equal((await new Agent(t.app).get(second)).statusCode, 200);
  });
});
