import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../core/roles.ts';
import { buildOrg, EVERY_ROLE, orgAudit, ownersOf } from '../../testing/factories.ts';
import { useTestApp, type Agent } from '../../testing/harness.ts';

const t = useTestApp();

async function roleIn(slug: string, email: string): Promise<Role | undefined> {
  const r = await t.owner
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .select('m.role')
    .where('o.slug', '=', slug)
    .where('u.email', '=', email)
    .executeTakeFirst();
  return r?.role;
}

async function post(agent: Agent, url: string, fields: Record<string, string> = {}) {
  const page = url.replace(/\/(members\/[^/]+\/(role|remove)|leave)$/, '/members');
  await agent.get(page);
  return agent.post(url, fields);
}

describe('members and roles', () => {
  it('members, approvers, accountants and viewers cannot change roles or remove anyone', async () => {
    const { slug, people, owner } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    for (const role of ['approver', 'accountant', 'member', 'viewer'] as const) {
      const a = people[role].agent;
      assert.equal(
        (await post(a, `/o/${slug}/members/${people.member.id}/role`, { role: 'admin' })).statusCode,
        403,
        role,
      );
      assert.equal((await post(a, `/o/${slug}/members/${owner.id}/remove`)).statusCode, 403, role);
    }
    assert.equal(await roleIn(slug, people.member.email), 'member');
    assert.equal(await roleIn(slug, owner.email), 'owner');
  });

  it('an admin cannot make anyone an owner, nor demote or remove an owner', async () => {
    const { slug, people, owner } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    const admin = people.admin.agent;
    assert.equal((await post(admin, `/o/${slug}/members/${people.member.id}/role`, { role: 'owner' })).statusCode, 403);
    assert.equal((await post(admin, `/o/${slug}/members/${owner.id}/role`, { role: 'viewer' })).statusCode, 403);
    assert.equal((await post(admin, `/o/${slug}/members/${owner.id}/remove`)).statusCode, 403);
    assert.equal(await roleIn(slug, owner.email), 'owner');
    // …but manages everyone else.
    assert.equal(
      (await post(admin, `/o/${slug}/members/${people.member.id}/role`, { role: 'approver' })).statusCode,
      303,
    );
    assert.equal(await roleIn(slug, people.member.email), 'approver');
  });

  it('a bad role or an id of nobody is refused without a 500', async () => {
    const { slug, owner, people } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    const badRole = await post(owner.agent, `/o/${slug}/members/${people.member.id}/role`, { role: 'emperor' });
    assert.equal(badRole.statusCode, 422);
    assert.match(badRole.body, /Choose one of the listed roles/);
    assert.equal((await post(owner.agent, `/o/${slug}/members/not-an-id/role`, { role: 'viewer' })).statusCode, 404);
    assert.equal(
      (await post(owner.agent, `/o/${slug}/members/00000000-0000-4000-8000-000000000000/remove`)).statusCode,
      404,
    );
  });

  it('the last owner cannot be demoted, removed, or leave', async () => {
    const { slug, owner, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    const demote = await post(owner.agent, `/o/${slug}/members/${owner.id}/role`, { role: 'admin' });
    assert.equal(demote.statusCode, 409);
    assert.match(demote.body, /last owner/);
    const leave = await post(owner.agent, `/o/${slug}/leave`);
    assert.equal(leave.statusCode, 409);
    assert.match(leave.body, /last owner/);
    const owners = await ownersOf(t, orgId);
    assert.equal(owners.length, 1);
  });

  it('two owners demoting each other at the same moment: one wins, the other is refused, one owner remains', async () => {
    const { slug, owner, people, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    await post(owner.agent, `/o/${slug}/members/${people.admin.id}/role`, { role: 'owner' });
    await people.admin.agent.get(`/o/${slug}/members`);
    await owner.agent.get(`/o/${slug}/members`);
    const [a, b] = await Promise.all([
      owner.agent.post(`/o/${slug}/members/${people.admin.id}/role`, { role: 'admin' }),
      people.admin.agent.post(`/o/${slug}/members/${owner.id}/role`, { role: 'admin' }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 403]);
    const owners = await ownersOf(t, orgId);
    assert.equal(owners.length, 1);
  });

  it('changing a role is audited, emails the member, and a repeat of the same change does nothing', async () => {
    const { slug, owner, people, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    assert.equal(
      (await post(owner.agent, `/o/${slug}/members/${people.viewer.id}/role`, { role: 'accountant' })).statusCode,
      303,
    );
    assert.equal(
      (await post(owner.agent, `/o/${slug}/members/${people.viewer.id}/role`, { role: 'accountant' })).statusCode,
      303,
    );
    const audits = await orgAudit(t, orgId, 'member.role_changed');
    assert.equal(audits.length, 1);
    assert.deepEqual(audits[0]!.changes, { email: people.viewer.email, from: 'viewer', to: 'accountant' });
    const mail = await t.owner
      .selectFrom('mail_outbox')
      .select('subject')
      .where('to_address', '=', people.viewer.email)
      .where('subject', 'like', 'Your role%')
      .execute();
    assert.equal(mail.length, 1);
  });

  it('a removed member loses the org at once, their sessions forget it, and they are told', async () => {
    const { slug, owner, people, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    const m = people.member;
    assert.equal((await m.agent.get(`/o/${slug}`)).statusCode, 200);
    const res = await post(owner.agent, `/o/${slug}/members/${m.id}/remove`);
    assert.equal(res.statusCode, 303);
    assert.equal((await m.agent.get(`/o/${slug}`)).statusCode, 404);
    assert.equal((await m.agent.get(`/o/${slug}/members`)).statusCode, 404);
    const home = await m.agent.get('/');
    assert.notEqual(home.headers.location, `/o/${slug}`);
    const sessions = await t.owner.selectFrom('sessions').select('last_org_id').where('user_id', '=', m.id).execute();
    assert.ok(sessions.every((s) => s.last_org_id !== orgId));
    assert.ok((await orgAudit(t, orgId, 'member.removed')).some((a) => a.target_id === m.id));
    assert.ok(
      await t.owner
        .selectFrom('mail_outbox')
        .select('id')
        .where('to_address', '=', m.email)
        .where('subject', 'like', 'You were removed%')
        .executeTakeFirst(),
    );
  });

  it('nobody removes themselves with “remove”; a member leaves with “leave”', async () => {
    const { slug, owner, people } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    assert.equal((await post(owner.agent, `/o/${slug}/members/${owner.id}/remove`)).statusCode, 409);
    const leave = await post(people.approver.agent, `/o/${slug}/leave`);
    assert.equal(leave.statusCode, 303);
    assert.equal(leave.headers.location, '/orgs');
    assert.equal(await roleIn(slug, people.approver.email), undefined);
    assert.equal((await people.approver.agent.get(`/o/${slug}`)).statusCode, 404);
  });

  it('owners and admins see who has two-factor authentication; others do not', async () => {
    const { slug, owner, people } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    await t.owner
      .updateTable('users')
      .set({ totp_secret: 'sealed', totp_enabled_at: new Date() })
      .where('id', '=', people.approver.id)
      .execute();
    const page = await owner.agent.get(`/o/${slug}/members`);
    assert.match(page.body, /Two-factor/);
    assert.match(page.body, /badge-green">on</);
    const asMember = await people.member.agent.get(`/o/${slug}/members`);
    assert.doesNotMatch(asMember.body, /Two-factor/);
  });

  it('approval limits: managers set them in the default currency, others cannot, admins not for owners', async () => {
    const { slug, owner, people, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    const limitOf = async (id: string) =>
      (
        await t.owner
          .selectFrom('memberships')
          .select('approval_limit_minor')
          .where('org_id', '=', orgId)
          .where('user_id', '=', id)
          .executeTakeFirstOrThrow()
      ).approval_limit_minor;
    assert.equal(
      (await post(people.member.agent, `/o/${slug}/members/${people.approver.id}/limit`, { limit: '1' })).statusCode,
      403,
    );
    assert.equal(
      (await post(people.approver.agent, `/o/${slug}/members/${people.approver.id}/limit`, { limit: '999999' }))
        .statusCode,
      403,
      'nobody raises their own limit without the right',
    );
    assert.equal(
      (await post(people.admin.agent, `/o/${slug}/members/${owner.id}/limit`, { limit: '1' })).statusCode,
      403,
    );
    assert.equal(
      (await post(people.admin.agent, `/o/${slug}/members/${people.approver.id}/limit`, { limit: '5,000.00' }))
        .statusCode,
      303,
    );
    assert.equal(await limitOf(people.approver.id), '500000');
    const bad = await post(people.admin.agent, `/o/${slug}/members/${people.approver.id}/limit`, { limit: 'lots' });
    assert.equal(bad.statusCode, 303);
    assert.match((await people.admin.agent.get(`/o/${slug}/members`)).body, /Enter an amount in EUR/);
    assert.equal(await limitOf(people.approver.id), '500000');
    assert.equal(
      (await post(owner.agent, `/o/${slug}/members/${people.approver.id}/limit`, { limit: '' })).statusCode,
      303,
    );
    assert.equal(await limitOf(people.approver.id), null);
    const audits = await orgAudit(t, orgId, 'member.approval_limit_changed');
    assert.deepEqual(
      audits.map((a) => (a.changes as { to: string | null }).to),
      ['500000', null],
    );
  });

  it('removing an admin revokes the invitations they sent, so they cannot come back through one', async () => {
    const { slug, owner, people, orgId } = await buildOrg(t, { name: 'Team Org', roles: EVERY_ROLE });
    await people.admin.agent.get(`/o/${slug}/invitations`);
    assert.equal(
      (await people.admin.agent.post(`/o/${slug}/invitations`, { email: 'second.address@example.test', role: 'admin' }))
        .statusCode,
      303,
    );
    assert.equal((await post(owner.agent, `/o/${slug}/members/${people.admin.id}/remove`)).statusCode, 303);
    const inv = await t.owner
      .selectFrom('invitations')
      .select(['revoked_at', 'revoked_by'])
      .where('org_id', '=', orgId)
      .where('email', '=', 'second.address@example.test')
      .executeTakeFirstOrThrow();
    assert.ok(inv.revoked_at);
    assert.equal(inv.revoked_by, owner.id);
  });
});
