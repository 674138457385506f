// A person's back-office page and the account actions on it: what each staff role may do, the
// typed confirmations, and the traces each leaves in the person's own log.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { Agent, useTestApp } from '../../testing/harness.ts';
import { staffPerson, type Person } from '../../testing/staff.ts';

const t = useTestApp();

let org: BuiltOrg<'member' | 'viewer'>;
let support: Person;
let operator: Person;
let superuser: Person;

const page = (p: Person, userId: string) => p.agent.get(`/staff/users/${userId}`);

async function post(p: Person, userId: string, verb: string, body: Record<string, string> = {}) {
  await page(p, userId);
  return p.agent.post(`/staff/users/${userId}/${verb}`, body);
}

const actions = (userId: string) =>
  t.owner
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'changes'])
    .where('target_id', '=', userId)
    .where('org_id', 'is', null)
    .orderBy('id')
    .execute();

const liveSessions = async (userId: string) =>
  (await t.owner.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute()).length;

describe("a person's back-office page", () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Detail Org', roles: ['member', 'viewer'] });
    support = await staffPerson(t, 'support');
    operator = await staffPerson(t, 'operator');
    superuser = await staffPerson(t, 'superuser');
  });

  it('shows the account, its orgs, devices and history, never a secret, and records the view', async () => {
    const member = org.people.member;
    const res = await page(operator, member.id);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /class="topbar staff-topbar"/);
    assert.match(res.body, /Detail Org/);
    assert.match(res.body, /account\.signed_up/);
    assert.match(res.body, /Signed-in devices/);
    assert.match(res.body, /support and superusers act on them/, 'an operator reads, without action buttons');
    const secrets = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    assert.ok(!res.body.includes(secrets.password_hash));
    const sessions = await t.owner.selectFrom('sessions').select('id_hash').where('user_id', '=', member.id).execute();
    for (const s of sessions) assert.ok(!res.body.includes(s.id_hash.toString('hex')));
    const viewed = (await actions(member.id)).filter((a) => a.action === 'account.viewed_by_staff');
    assert.equal(viewed.length, 1);
    assert.equal(viewed[0]!.actor_user_id, operator.id);
    assert.match((await member.agent.get('/account/sessions')).body, /Ledgerworks support looked at your account/);
    assert.equal((await page(support, '00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  it('unlock clears a lock and the count; operators may not', async () => {
    const viewer = org.people.viewer;
    await t.owner
      .updateTable('users')
      .set({ failed_logins: 5, locked_until: sql<Date>`now() + interval '15 minutes'` })
      .where('id', '=', viewer.id)
      .execute();
    assert.match((await page(support, viewer.id)).body, /Unlock the account/);
    assert.equal((await post(operator, viewer.id, 'unlock')).statusCode, 403);
    assert.equal((await post(support, viewer.id, 'unlock')).statusCode, 303);
    const u = await t.owner
      .selectFrom('users')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', viewer.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([u.failed_logins, u.locked_until], [0, null]);
    assert.ok(
      (await actions(viewer.id)).some((a) => a.action === 'account.unlocked' && a.actor_user_id === support.id),
    );
  });

  it('sending a reset link queues the same task as "forgot password"', async () => {
    const viewer = org.people.viewer;
    assert.equal((await post(support, viewer.id, 'send-reset')).statusCode, 303);
    const runs = await t.owner
      .selectFrom('task_runs')
      .select('task')
      .where('task', '=', 'accounts.send_password_reset')
      .execute();
    assert.equal(runs.length, 1);
  });

  it('signing out everywhere needs the email typed; a wrong one changes nothing', async () => {
    const member = org.people.member;
    const before = await liveSessions(member.id);
    assert.ok(before > 0);
    const wrong = await post(support, member.id, 'revoke-sessions', { confirm: 'someone.else@example.test' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That is not the email address of this account/);
    assert.equal(await liveSessions(member.id), before);
    const right = await post(support, member.id, 'revoke-sessions', { confirm: member.email.toUpperCase() });
    assert.equal(right.statusCode, 303);
    assert.equal(await liveSessions(member.id), 0);
    const after = await member.agent.get(`/o/${org.slug}`);
    assert.match(String(after.headers.location), /^\/login/, 'the person is signed out');
    const entry = (await actions(member.id)).find((a) => a.action === 'account.all_sessions_revoked');
    assert.deepEqual(entry?.changes, { devices_signed_out: before });
  });

  it('disabling needs a superuser, a reason and the typed email; enabling brings sign-in back', async () => {
    const owner = org.owner;
    assert.equal((await post(support, owner.id, 'disable', { reason: 'Fraud', confirm: owner.email })).statusCode, 403);
    assert.equal((await post(superuser, owner.id, 'disable', { confirm: owner.email })).statusCode, 422);
    const wrong = await post(superuser, owner.id, 'disable', { reason: 'Fraud report #7', confirm: 'nope' });
    assert.equal(wrong.statusCode, 422);
    const ok = await post(superuser, owner.id, 'disable', { reason: 'Fraud report #7', confirm: owner.email });
    assert.equal(ok.statusCode, 303);
    const disabled = await t.owner
      .selectFrom('users')
      .select(['is_active', 'deactivated_at'])
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([disabled.is_active, disabled.deactivated_at], [false, null]);
    assert.equal(await liveSessions(owner.id), 0);
    const again = new Agent(t.app, '10.66.0.1');
    await again.get('/login');
    const login = await again.post('/login', { email: owner.email, password: owner.password });
    assert.notEqual(login.headers.location, `/o/${org.slug}`, 'a disabled account does not sign in');
    assert.equal(
      (await post(superuser, owner.id, 'disable', { reason: 'x again', confirm: owner.email })).statusCode,
      409,
    );

    assert.equal((await post(superuser, owner.id, 'enable', { reason: 'Cleared after review' })).statusCode, 303);
    await again.get('/login');
    const back = await again.post('/login', { email: owner.email, password: owner.password });
    assert.equal(back.statusCode, 303);
    assert.doesNotMatch(String(back.headers.location), /login/);
    const log = (await actions(owner.id)).map((a) => a.action);
    assert.ok(log.includes('account.disabled') && log.includes('account.enabled'));
  });

  it('a staff account shows no account actions, and its actions are refused', async () => {
    const res = await page(superuser, support.id);
    assert.match(res.body, /A staff account/);
    assert.equal((await post(superuser, support.id, 'revoke-sessions', { confirm: support.email })).statusCode, 409);
  });
});
