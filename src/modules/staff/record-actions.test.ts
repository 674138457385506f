// Actions on back-office record pages: each declared with the staff role it needs, what it asks
// first (a reason, a choice, the record's name typed) and the service that does it and audits it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { invite, invitationIdOf } from '../invitations/test-helpers.ts';
import { staffPerson, type Person } from '../../testing/staff.ts';

const t = useTestApp();

const IBAN = 'DE89370400440532013000';

let org: BuiltOrg<'admin' | 'member'>;
let support: Person;
let operator: Person;
let superuser: Person;

async function post(p: Person, page: string, action: string, body: Record<string, string>) {
  await p.agent.get(page);
  return p.agent.post(`${page}/${action}`, body);
}

const auditOf = (action: string, targetId: string) =>
  t.owner
    .selectFrom('audit_log')
    .select(['actor_user_id', 'org_id', 'changes'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();

describe('actions on back-office records', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Acting Holdings', roles: ['admin', 'member'] });
    support = await staffPerson(t, 'support');
    operator = await staffPerson(t, 'operator');
    superuser = await staffPerson(t, 'superuser');
  });

  it('support resends and revokes an invitation; the typed address guards the revocation; operators may not', async () => {
    const email = `invited.${Date.now()}@example.test`;
    assert.equal((await invite({ agent: org.people.owner.agent, slug: org.slug }, email)).statusCode, 303);
    const id = await invitationIdOf(t, email);
    await sql`update invitations set last_sent_at = now() - interval '1 hour' where id = ${id}`.execute(t.owner);
    const page = `/staff/invitations/${org.orgId}/${id}`;

    const asOperator = await operator.agent.get(page);
    assert.match(asOperator.body, /Send the invitation again: needs the support or superuser role/);
    assert.equal((await post(operator, page, 'resend', {})).statusCode, 403);

    const shown = (await support.agent.get(page)).body;
    assert.equal(shown.match(/id="action-revoke"/g)?.length, 1, 'each action once');
    const resent = await post(support, page, 'resend', {});
    assert.equal(resent.statusCode, 303);
    assert.equal((await auditOf('invitation.resent', id))[0]?.actor_user_id, support.id);

    const wrong = await post(support, page, 'revoke', { revoke_confirm: 'someone.else@example.test' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /exactly, to confirm/);
    assert.equal((await auditOf('invitation.revoked', id)).length, 0, 'a wrong confirmation changes nothing');

    assert.equal((await post(support, page, 'revoke', { revoke_confirm: email })).statusCode, 303);
    const revoked = await auditOf('invitation.revoked', id);
    assert.deepEqual(
      revoked.map((r) => [r.actor_user_id, r.org_id]),
      [[support.id, org.orgId]],
    );
    const again = await post(support, page, 'resend', {});
    assert.equal(again.statusCode, 409, 'an action that no longer applies is refused');
    assert.match(again.body, /no longer applies/);
    assert.match(again.body, /class="topbar staff-topbar"/, 'the refusal stays in the back-office');
    assert.match(again.body, new RegExp(`href="${page}"[^>]*>\\s*Back to the page`));
  });

  it('support reveals a full IBAN once, with a reason the audit log keeps; the page stays masked', async () => {
    const vendor = await buildVendor(t, org.orgId, { name: 'Revealed GmbH', iban: IBAN });
    const page = `/staff/vendors/${org.orgId}/${vendor.id}`;
    assert.equal((await post(operator, page, 'reveal', { reveal_reason: 'ticket 42' })).statusCode, 403);
    const noReason = await post(support, page, 'reveal', { reveal_reason: '' });
    assert.equal(noReason.statusCode, 422);
    assert.ok(!noReason.body.includes(IBAN));
    const shown = await post(support, page, 'reveal', { reveal_reason: 'ticket 42: bank says wrong account' });
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.body.includes(IBAN));
    assert.equal(shown.headers['cache-control'], 'no-store');
    const audit = await auditOf('vendor.payment_details_revealed', vendor.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_user_id, support.id);
    assert.equal((audit[0]!.changes as { reason: string }).reason, 'ticket 42: bank says wrong account');
    assert.ok(!JSON.stringify(audit[0]!.changes).includes(IBAN));
    assert.ok(!(await support.agent.get(page)).body.includes(IBAN));
  });

  it('when no owner can act, a superuser makes a member the owner; support may not, and a changed org refuses', async () => {
    const page = `/staff/organizations/${org.orgId}`;
    const body = (over: Record<string, string> = {}) => ({
      'transfer-ownership_choice': org.people.member.id,
      'transfer-ownership_reason': 'ticket 7: owner left',
      'transfer-ownership_confirm': org.slug,
      ...over,
    });
    assert.doesNotMatch((await superuser.agent.get(page)).body, /Make this member the owner/, 'an org with an owner');
    assert.equal((await post(superuser, page, 'transfer-ownership', body())).statusCode, 409);

    await t.owner.updateTable('users').set({ is_active: false }).where('id', '=', org.people.owner.id).execute();
    assert.match((await superuser.agent.get(page)).body, /Make this member the owner/);
    assert.equal((await post(support, page, 'transfer-ownership', body())).statusCode, 403);
    const typo = await post(superuser, page, 'transfer-ownership', body({ 'transfer-ownership_confirm': 'nope' }));
    assert.equal(typo.statusCode, 422);
    const stranger = await post(
      superuser,
      page,
      'transfer-ownership',
      body({ 'transfer-ownership_choice': '00000000-0000-4000-8000-000000000000' }),
    );
    assert.equal(stranger.statusCode, 422, 'only a member the page offered');
    assert.match(stranger.body, /Choose one of the list/);

    assert.equal((await post(superuser, page, 'transfer-ownership', body())).statusCode, 303);
    const m = await t.owner
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', org.orgId)
      .where('user_id', '=', org.people.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(m.role, 'owner');
    const audit = await auditOf('member.role_changed', org.people.member.id);
    assert.equal(audit.at(-1)?.actor_user_id, superuser.id);
    assert.equal((audit.at(-1)!.changes as { reason: string }).reason, 'ticket 7: owner left');
    assert.equal((await post(superuser, page, 'transfer-ownership', body())).statusCode, 409, 'done already');
  });

  it('a destructive action needs the password from the last 15 minutes: it asks again, and runs when sent again', async () => {
    const email = `late.${Date.now()}@example.test`;
    // The admin invites: the owner's account was disabled by the test above.
    assert.equal((await invite({ agent: org.people.admin.agent, slug: org.slug }, email)).statusCode, 303);
    const id = await invitationIdOf(t, email);
    const page = `/staff/invitations/${org.orgId}/${id}`;
    await support.agent.get(page);
    await t.owner
      .updateTable('sessions')
      .set({ authenticated_at: sql<Date>`now() - interval '20 minutes'` })
      .where('user_id', '=', support.id)
      .execute();
    const asked = await support.agent.post(`${page}/revoke`, { revoke_confirm: email });
    assert.equal(asked.statusCode, 303);
    assert.equal(asked.headers.location, `/staff/confirm?next=${encodeURIComponent(page)}&reason=destructive`);
    assert.equal((await auditOf('invitation.revoked', id)).length, 0, 'nothing ran');
    assert.match(
      (await support.agent.get(String(asked.headers.location))).body,
      /needs your password from the last 15 minutes/,
    );
    const confirmed = await support.agent.post('/staff/confirm', { password: support.password, next: page });
    assert.equal(confirmed.headers.location, page);
    assert.equal((await post(support, page, 'revoke', { revoke_confirm: email })).statusCode, 303);
    assert.equal((await auditOf('invitation.revoked', id)).length, 1);
  });
});
