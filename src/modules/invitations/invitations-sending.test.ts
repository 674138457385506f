import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOrg } from '../../testing/factories.ts';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';
import { invite, inviteLink, newAddress } from './test-helpers.ts';

const t = useTestApp();

describe('invitations: who may send them, and what is refused', () => {
  it('members and viewers cannot see or send invitations', async () => {
    const built = await buildOrg(t, { roles: ['member', 'viewer', 'approver', 'accountant'] });
    const owner = { ...built.owner, slug: built.slug };
    const orgId = built.orgId;
    for (const role of ['member', 'viewer', 'approver', 'accountant'] as const) {
      const p = built.people[role];
      assert.equal((await p.agent.get(`/o/${owner.slug}/invitations`)).statusCode, 403, role);
      await p.agent.get(`/o/${owner.slug}`);
      assert.equal(
        (await p.agent.post(`/o/${owner.slug}/invitations`, { email: newAddress(), role: 'member' })).statusCode,
        403,
        role,
      );
    }
    assert.equal(
      await t.owner.selectFrom('invitations').select('id').where('org_id', '=', orgId).executeTakeFirst(),
      undefined,
    );
  });

  it('an admin cannot invite an owner', async () => {
    const built = await buildOrg(t, { roles: ['admin'] });
    const owner = { ...built.owner, slug: built.slug };
    const admin = built.people.admin;
    await admin.agent.get(`/o/${owner.slug}/invitations`);
    assert.equal(
      (await admin.agent.post(`/o/${owner.slug}/invitations`, { email: newAddress(), role: 'owner' })).statusCode,
      403,
    );
    assert.equal(
      (await admin.agent.post(`/o/${owner.slug}/invitations`, { email: newAddress(), role: 'approver' })).statusCode,
      303,
    );
  });

  it('bad input is refused next to the field, keeping what was typed', async () => {
    const owner = await signUp(t.app);
    const res = await invite(owner, 'not-an-email', 'member');
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /value="not-an-email"/);
    assert.equal((await invite(owner, newAddress(), 'emperor')).statusCode, 422);
  });

  it('inviting an existing member or a pending invitee says so', async () => {
    const owner = await signUp(t.app);
    const self = await invite(owner, owner.email);
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /already a member/);
    const address = newAddress();
    assert.equal((await invite(owner, address)).statusCode, 303);
    const again = await invite(owner, address.toUpperCase());
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already been invited/);
  });

  it('two quick posts of the invitation form create one invitation and one email', async () => {
    const owner = await signUp(t.app);
    await owner.agent.get(`/o/${owner.slug}/invitations`);
    const key = owner.agent.submissionKey!;
    const address = newAddress();
    const results = await Promise.all(
      [1, 2].map(() =>
        owner.agent.post(`/o/${owner.slug}/invitations`, { email: address, role: 'member' }, { submission: key }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [303, 303],
    );
    const rows = await t.owner.selectFrom('invitations').select('id').where('email', '=', address).execute();
    assert.equal(rows.length, 1);
    const mails = await t.owner.selectFrom('mail_outbox').select('id').where('to_address', '=', address).execute();
    assert.equal(mails.length, 1);
  });

  it('the token is stored only as a hash, and an unknown or malformed link is a clear 404', async () => {
    const owner = await signUp(t.app);
    const address = newAddress();
    await invite(owner, address);
    const link = await inviteLink(t, address);
    const token = link.split('/').pop()!;
    const row = await t.owner
      .selectFrom('invitations')
      .select('token_hash')
      .where('email', '=', address)
      .executeTakeFirstOrThrow();
    assert.ok(!row.token_hash.toString('latin1').includes(token));
    const anon = new Agent(t.app);
    const bad = await anon.get('/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(bad.statusCode, 404);
    assert.match(bad.body, /not valid/);
    assert.equal((await anon.get('/invitations/%3Cscript%3E')).statusCode, 404);
  });
});
