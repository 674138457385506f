// Who can never be impersonated, by whom, and an org's "support must ask first": the app's clear
// answers, and the database's trigger behind them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { buildOrg, type BuiltOrg, orgAudit } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { makeStaff, staffPerson, type Person } from '../../testing/staff.ts';

const t = useTestApp();

let org: BuiltOrg<'member' | 'admin'>;
let support: Person;
let operator: Person;

const form = (extra: Record<string, string> = {}) => ({
  org_id: org.orgId,
  reason: 'Ticket #99',
  minutes: '15',
  ...extra,
});

async function attempt(p: Person, userId: string, body: Record<string, string>) {
  await p.agent.get(`/staff/users/${userId}/impersonate`);
  return p.agent.post(`/staff/users/${userId}/impersonate`, body);
}

const count = async (userId: string) =>
  (await t.owner.selectFrom('impersonations').select('id').where('user_id', '=', userId).execute()).length;

describe('impersonation refusals', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Refusals Org', roles: ['member', 'admin'] });
    support = await staffPerson(t, 'support');
    operator = await staffPerson(t, 'operator');
  });

  it('bad input is answered beside the field (422), starting nothing', async () => {
    const id = org.people.member.id;
    const cases: [Record<string, string>, RegExp][] = [
      [form({ reason: '' }), /Give the reason/],
      [form({ minutes: '61' }), /At most 60 minutes/],
      [form({ minutes: 'soon' }), /Say for how many minutes/],
      [form({ allow_changes: 'on' }), /Say why changes are needed/],
      [form({ org_id: randomUUID() }), /Choose the organization you need to look at/],
    ];
    for (const [body, message] of cases) {
      const res = await attempt(support, id, body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.match(res.body, message);
    }
    assert.equal(await count(id), 0);
  });

  it('never into a staff account nor a deactivated one; operators may not impersonate at all', async () => {
    const colleague = await staffPerson(t, 'operator');
    const page = await support.agent.get(`/staff/users/${colleague.id}/impersonate`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /Staff accounts are never impersonated/);
    assert.doesNotMatch(page.body, /name="reason"/, 'no form to fill in');
    assert.equal((await support.agent.post(`/staff/users/${colleague.id}/impersonate`, form())).statusCode, 409);

    const leaver = await buildOrg(t, { name: 'Leaver Org' });
    await t.owner.updateTable('users').set({ is_active: false }).where('id', '=', leaver.owner.id).execute();
    const gone = await attempt(support, leaver.owner.id, form({ org_id: leaver.orgId }));
    assert.equal(gone.statusCode, 409);
    assert.match(gone.body, /deactivated/);

    assert.equal((await attempt(operator, org.people.member.id, form())).statusCode, 403);
    assert.equal((await operator.agent.get(`/staff/users/${org.people.member.id}/impersonate`)).statusCode, 403);
    assert.equal(await count(colleague.id), 0);
    assert.equal(await count(leaver.owner.id), 0);
  });

  it('an org that asks first needs a live grant from an owner; revoking closes it again', async () => {
    const owner = org.owner;
    const id = org.people.member.id;
    const base = `/o/${org.slug}/settings/support-access`;
    assert.equal((await org.people.admin.agent.get(base)).statusCode, 403, 'owners only');
    await owner.agent.get(base);
    assert.equal((await owner.agent.post(base, { support_access: 'grant' })).statusCode, 303);

    const asked = await attempt(support, id, form());
    assert.equal(asked.statusCode, 422);
    assert.match(asked.body, /asks support to ask first/);

    await owner.agent.get(base);
    assert.equal((await owner.agent.post(`${base}/grants`, { days: '0' })).statusCode, 422);
    assert.equal((await owner.agent.post(`${base}/grants`, { days: '7' })).statusCode, 303);
    const granted = await attempt(support, id, form());
    assert.equal(granted.statusCode, 303, granted.body);
    await support.agent.post('/impersonation/stop', {});

    const grant = await t.owner
      .selectFrom('support_access_grants')
      .select('id')
      .where('org_id', '=', org.orgId)
      .executeTakeFirstOrThrow();
    await owner.agent.get(base);
    assert.equal((await owner.agent.post(`${base}/grants/${grant.id}/revoke`, {})).statusCode, 303);
    assert.equal((await owner.agent.post(`${base}/grants/${grant.id}/revoke`, {})).statusCode, 404, 'once');
    assert.equal((await attempt(support, id, form())).statusCode, 422);
    const audit = await orgAudit(t, org.orgId, 'support_access.%');
    assert.deepEqual(
      audit.map((a) => a.action),
      ['support_access.mode_changed', 'support_access.granted', 'support_access.revoked'],
    );
  });

  it('the database refuses what the app refuses, as the runtime role', async () => {
    const other = await buildOrg(t, { name: 'Trigger Org', roles: ['member'] });
    const colleague = await staffPerson(t, 'support');
    const insert = (staffId: string, userId: string, orgId: string | null) =>
      withOrg(t.db, orgId ?? other.orgId, staffId, (tx) =>
        sql`insert into impersonations (id, staff_user_id, user_id, org_id, reason, ends_at)
            values (${randomUUID()}, ${staffId}, ${userId}, ${orgId}, 'Ticket #1', now() + interval '15 minutes')`.execute(
          tx,
        ),
      );
    const refused = async (p: Promise<unknown>, constraint: string) =>
      assert.rejects(p, (err: { constraint?: string }) => err.constraint === constraint);
    await refused(insert(support.id, colleague.id, null), 'impersonations_target_not_staff');
    await refused(insert(operator.id, other.people.member.id, other.orgId), 'impersonations_impersonator_role');
    await refused(insert(support.id, org.people.member.id, other.orgId), 'impersonations_member_of_org');
    await makeStaff(t, { id: other.people.member.id }, 'support');
    await refused(insert(support.id, other.people.member.id, other.orgId), 'impersonations_target_not_staff');
    // More than an hour, or no reason: the table's checks.
    await assert.rejects(
      withOrg(t.db, other.orgId, support.id, (tx) =>
        sql`insert into impersonations (id, staff_user_id, user_id, org_id, reason, ends_at)
            values (${randomUUID()}, ${support.id}, ${other.owner.id}, ${other.orgId}, 'Ticket #1', now() + interval '61 minutes')`.execute(
          tx,
        ),
      ),
      (err: { constraint?: string }) => err.constraint === 'impersonations_at_most_an_hour',
    );
    // Once started, its facts cannot be rewritten by the app's role, only its end.
    await assert.rejects(
      sql`update impersonations set reason = 'rewritten'`.execute(t.db),
      (err: { code?: string }) => err.code === '42501',
    );
  });
});
