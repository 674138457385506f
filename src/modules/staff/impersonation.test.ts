// Impersonation from the back-office: a support member signs in as a customer with a reason, sees
// the banner, is refused every change (read-only), and comes back to their own session by
// stopping, by the time running out, or by signing out; everyone concerned can see it happened.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { Agent, useTestApp } from '../../testing/harness.ts';
import { staffPerson, type Person } from '../../testing/staff.ts';

const t = useTestApp();

let org: BuiltOrg<'member'>;
let support: Person;

async function start(agent: Agent, userId: string, body: Record<string, string> = {}) {
  await agent.get(`/staff/users/${userId}/impersonate`);
  return agent.post(`/staff/users/${userId}/impersonate`, {
    org_id: org.orgId,
    reason: 'Ticket #4711',
    minutes: '15',
    ...body,
  });
}

function impersonationsOf(userId: string) {
  return t.owner.selectFrom('impersonations').selectAll().where('user_id', '=', userId).orderBy('started_at').execute();
}

function auditOf(userId: string, action: string) {
  return t.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('impersonating a customer', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Northwind Impersonated', roles: ['member'] });
    support = await staffPerson(t, 'support');
  });

  it('starts with a reason, opens only that org, shows the banner, and is audited for the person and the org', async () => {
    const member = org.people.member;
    const other = await buildOrg(t, { name: 'Other Org Of The Member' });
    await t.owner
      .insertInto('memberships')
      .values({ org_id: other.orgId, user_id: member.id, role: 'viewer' })
      .execute();
    const agent = new Agent(t.app, '10.9.0.1');
    agent.cookies = new Map(support.agent.cookies);
    const res = await start(agent, member.id);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/o/${org.slug}`);
    const page = await agent.get(`/o/${org.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="impersonation-banner"/);
    assert.match(page.body, new RegExp(`signed in as <strong>${member.name}</strong>`));
    assert.match(page.body, /for <strong>Northwind Impersonated<\/strong>/);
    assert.match(page.body, /Ticket #4711/);
    assert.match(page.body, /read-only/);
    assert.match(page.body, /action="\/impersonation\/stop"/);
    assert.equal((await agent.get(`/o/${other.slug}`)).statusCode, 404, 'the person’s other org stays closed');

    const [imp] = await impersonationsOf(member.id);
    assert.ok(imp);
    assert.equal(imp.staff_user_id, support.id);
    assert.equal(imp.reason, 'Ticket #4711');
    assert.equal(imp.allows_changes, false);
    const started = await auditOf(member.id, 'impersonation.started');
    assert.deepEqual(started.map((a) => a.org_id).sort(), [null, org.orgId].sort(), 'one entry in each log');
    for (const a of started) assert.equal(a.actor_user_id, support.id);

    // The person sees it in their security activity, the owner in the org's Activity.
    const security = await member.agent.get('/account/sessions');
    assert.match(security.body, /Ledgerworks support signed in as you/);
    assert.match(security.body, /Ticket #4711/);
    const activity = await org.owner.agent.get(`/o/${org.slug}/activity`);
    assert.match(activity.body, /impersonation\.started/);
    assert.match(activity.body, /Ledgerworks support/, 'the staff member is named as support');
    await agent.post('/impersonation/stop', {});
  });

  it('read-only: every unsafe route is refused with the reason, except stopping and signing out', async () => {
    const member = org.people.member;
    const agent = new Agent(t.app, '10.9.0.2');
    agent.cookies = new Map(support.agent.cookies);
    assert.equal((await start(agent, member.id)).statusCode, 303);
    await agent.get(`/o/${org.slug}`);
    // Browsers send CSP reports without cookies: no one's change.
    const posts = t.app.routeList.filter(
      (r) => r.method === 'POST' && !['/impersonation/stop', '/logout', '/csp-report'].includes(r.url),
    );
    assert.ok(posts.length > 40, `the walk covers the unsafe routes (${posts.length})`);
    for (const r of posts) {
      const url = r.url.replace(':org', org.slug).replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await agent.post(url, { name: 'Changed By Staff' });
      // The back-office itself does not exist for the person being impersonated.
      const expected = r.url.startsWith('/staff') ? 404 : 403;
      assert.equal(res.statusCode, expected, `POST ${r.url}: ${res.statusCode}`);
      if (expected === 403) assert.match(res.body, /this impersonation is read-only/, `POST ${r.url}`);
    }
    const me = await t.owner.selectFrom('users').select('name').where('id', '=', member.id).executeTakeFirstOrThrow();
    assert.notEqual(me.name, 'Changed By Staff');
    assert.equal((await agent.post('/impersonation/stop', {})).statusCode, 303);
  });

  it('with changes allowed, a change is audited as the person with the staff member as impersonator', async () => {
    const member = org.people.member;
    const agent = new Agent(t.app, '10.9.0.3');
    agent.cookies = new Map(support.agent.cookies);
    const res = await start(agent, member.id, {
      allow_changes: 'on',
      change_reason: 'Customer asked us to fix the name',
    });
    assert.equal(res.statusCode, 303, res.body);
    const page = await agent.get('/account');
    assert.match(page.body, /impersonation-banner impersonation-changes/);
    assert.match(page.body, /changes allowed/);
    const saved = await agent.post('/account/profile', { name: 'Fixed Name', time_zone: 'UTC' });
    assert.equal(saved.statusCode, 303);
    const [entry] = await auditOf(member.id, 'account.profile_updated');
    assert.ok(entry);
    assert.equal(entry.actor_user_id, member.id);
    assert.equal(entry.impersonator_user_id, support.id);
    await agent.post('/impersonation/stop', {});
  });

  it('Stop ends it once and returns to the staff session; the impersonation token is worthless afterwards', async () => {
    const member = org.people.member;
    const agent = new Agent(t.app, '10.9.0.4');
    agent.cookies = new Map(support.agent.cookies);
    await start(agent, member.id);
    const impersonationToken = agent.cookie('session');
    await agent.get(`/o/${org.slug}`);
    const stop = await agent.post('/impersonation/stop', {});
    assert.equal(stop.statusCode, 303);
    assert.equal(stop.headers.location, '/staff');
    assert.equal(agent.cookie('session'), support.agent.cookie('session'), 'the staff session is back');
    assert.equal((await agent.get('/staff')).statusCode, 200);
    const imp = (await impersonationsOf(member.id)).at(-1)!;
    assert.equal(imp.ended_how, 'stopped');
    const sessions = await t.owner
      .selectFrom('sessions')
      .select('id_hash')
      .where('impersonation_id', '=', imp.id)
      .execute();
    assert.equal(sessions.length, 0);
    const replay = new Agent(t.app, '10.9.0.5');
    replay.cookies.set(
      [...agent.cookies.keys()].find((k) => k.endsWith('session'))!,
      impersonationToken!,
    );
    const replayed = await replay.get(`/o/${org.slug}`);
    assert.match(String(replayed.headers.location), /^\/login/, 'the old token signs in no one');
    const stopped = (await auditOf(member.id, 'impersonation.stopped')).filter((a) => a.org_id === org.orgId);
    assert.ok(stopped.some((a) => (a.changes as { how?: string }).how === 'stopped'));
  });

  it('when the time runs out, the next request closes it and lands in the back-office', async () => {
    const member = org.people.member;
    const agent = new Agent(t.app, '10.9.0.6');
    agent.cookies = new Map(support.agent.cookies);
    await start(agent, member.id, { minutes: '1' });
    const imp = (await impersonationsOf(member.id)).at(-1)!;
    await sql`update impersonations set started_at = now() - interval '2 minutes', ends_at = now() - interval '1 minute' where id = ${imp.id}`.execute(
      t.owner,
    );
    await sql`update sessions set expires_at = now() - interval '1 minute' where impersonation_id = ${imp.id}`.execute(
      t.owner,
    );
    const res = await agent.get(`/o/${org.slug}/invoices`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/staff');
    const home = await agent.get('/staff');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /The impersonation has ended/);
    const after = await t.owner
      .selectFrom('impersonations')
      .select('ended_how')
      .where('id', '=', imp.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.ended_how, 'expired');
  });

  it('signing out of an impersonation ends it and returns to the staff session, not out of it', async () => {
    const member = org.people.member;
    const agent = new Agent(t.app, '10.9.0.7');
    agent.cookies = new Map(support.agent.cookies);
    await start(agent, member.id);
    await agent.get(`/o/${org.slug}`);
    const out = await agent.post('/logout', {});
    assert.equal(out.headers.location, '/staff');
    assert.equal((await agent.get('/staff')).statusCode, 200);
    assert.equal((await impersonationsOf(member.id)).at(-1)!.ended_how, 'signed_out');
  });
});
