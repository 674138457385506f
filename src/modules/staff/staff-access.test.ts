// The back-office's door: every /staff route × (signed out, a customer, staff without two-factor,
// each staff role), the stale staff sign-in (12 hours, 30 idle minutes) and its password prompt.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { STAFF_ACCESS, STAFF_ROLES, isStaffAccess, isStaffUrl, type StaffRole } from '../../core/http/staff-access.ts';
import type { Records } from '../../testing/access-matrix.ts';
import { accessWalk } from '../../testing/access-walk.ts';
import { buildOrg } from '../../testing/factories.ts';
import { Agent, useTestApp } from '../../testing/harness.ts';
import { makeStaff as makeStaffOf, person as personOf, type Person } from '../../testing/staff.ts';

const t = useTestApp();

const person = () => personOf(t);
const makeStaff = (p: Person, role: StaffRole, twoFactor = true) => makeStaffOf(t, p, role, twoFactor);

/** Moves this person's sessions back in time: signed in `hours` ago, last in the staff area `idleMinutes` ago. */
async function age(p: Person, hours: number, idleMinutes: number | null) {
  await t.owner
    .updateTable('sessions')
    .set({
      authenticated_at: sql<Date>`now() - make_interval(hours => ${hours})`,
      staff_seen_at: idleMinutes === null ? null : sql<Date>`now() - make_interval(mins => ${idleMinutes})`,
    })
    .where('user_id', '=', p.id)
    .execute();
}

const staffRoleOf = async (id: string) =>
  (await t.owner.selectFrom('users').select('staff_role').where('id', '=', id).executeTakeFirstOrThrow()).staff_role;

const staffRoutes = () => t.app.routeList.filter((r) => isStaffUrl(r.url));

/**
 * What the walk's staff routes name: a customer (:userId), so that a staff page about them exists,
 * and an org with a record of every kind (:orgId, :invoiceId…) for the record pages.
 */
let subject: Records = {};

async function hit(agent: Agent, r: { method: string; url: string }) {
  const url = r.url.replace(
    /:([A-Za-z]+)/g,
    (_, name: string) => subject[name] ?? '00000000-0000-4000-8000-000000000000',
  );
  return r.method === 'GET' ? agent.get(url) : agent.post(url, { password: 'x' });
}

const staff = new Map<StaffRole, Person>();
let customer: Person;
let noTwoFactor: Person;

describe('the back-office door', () => {
  before(async () => {
    for (const role of STAFF_ROLES) {
      const p = await person();
      await makeStaff(p, role);
      await p.agent.get('/orgs');
      staff.set(role, p);
    }
    customer = await person();
    const org = await buildOrg(t, { name: 'Walked Holdings' });
    const records = await accessWalk(t).makeRecords(org.orgId, org.people.owner.id);
    subject = { ...records, orgId: org.orgId, userId: customer.id };
    noTwoFactor = await person();
    await makeStaff(noTwoFactor, 'superuser', false);
  });

  it('every /staff route declares a staff access, and only /staff routes do', () => {
    assert.ok(staffRoutes().length >= 3, 'the staff routes are in the route table');
    for (const r of t.app.routeList)
      assert.equal(isStaffAccess(r.access), isStaffUrl(r.url), `${r.method} ${r.url} declares ${r.access}`);
  });

  it('signed out and customers (an org owner) get 404 on every /staff route, as for a page that does not exist', async () => {
    const anonymous = new Agent(t.app, '10.77.0.1');
    await anonymous.get('/login');
    for (const r of staffRoutes()) {
      for (const [who, agent] of [
        ['signed out', anonymous],
        ['a customer', customer.agent],
      ] as const) {
        const res = await hit(agent, r);
        assert.equal(res.statusCode, 404, `${r.method} ${r.url} as ${who}: ${res.statusCode}`);
        assert.doesNotMatch(res.body, /Back-office/, `${r.method} ${r.url} as ${who} shows nothing of the back-office`);
      }
    }
  });

  it('staff without two-factor authentication are sent to set it up, on every /staff route', async () => {
    for (const r of staffRoutes()) {
      const res = await hit(noTwoFactor.agent, r);
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.statusCode}`);
      assert.match(res.body, /href="\/account\/two-factor"/);
    }
  });

  it('each staff role gets through exactly the routes its access allows (403 for the others)', async () => {
    for (const r of staffRoutes().filter((x) => x.method === 'GET')) {
      for (const [role, p] of staff) {
        const res = await hit(p.agent, r);
        const allowed = (STAFF_ACCESS[r.access as keyof typeof STAFF_ACCESS] as readonly string[]).includes(role);
        if (allowed) assert.ok(res.statusCode < 400, `${r.method} ${r.url} as ${role}: ${res.statusCode}`);
        else assert.equal(res.statusCode, 403, `${r.method} ${r.url} as ${role}: ${res.statusCode}`);
      }
    }
  });

  it('the home page uses its own layout and lists the staff team; the customer menu links to it for staff only', async () => {
    const res = await staff.get('support')!.agent.get('/staff');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /class="topbar staff-topbar"/);
    for (const p of staff.values()) assert.match(res.body, new RegExp(`id="staff-${p.id}"`));
    assert.doesNotMatch(res.body, new RegExp(`id="staff-${customer.id}"`));
    assert.match((await staff.get('operator')!.agent.get('/account')).body, /href="\/staff"/);
    assert.doesNotMatch((await customer.agent.get('/account')).body, /href="\/staff"/);
  });
});

describe('a staff sign-in must be recent', () => {
  let p: Person;
  before(async () => {
    p = await person();
    await makeStaff(p, 'operator');
  });

  it('after 12 hours the password is asked again, and the page asked for comes back after it', async () => {
    await age(p, 13, 1);
    const res = await p.agent.get('/staff?x=1');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/staff/confirm?next=%2Fstaff%3Fx%3D1&reason=expired');
    const page = await p.agent.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /more than 12 hours old/);
    const ok = await p.agent.post('/staff/confirm', { password: p.password, next: '/staff?x=1' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/staff?x=1');
    assert.equal((await p.agent.get('/staff')).statusCode, 200);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('action')
      .where('actor_user_id', '=', p.id)
      .where('action', '=', 'account.reauthenticated')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('after 30 idle minutes in the back-office too, even with a young sign-in; htmx is told where to go', async () => {
    await age(p, 1, 31);
    const res = await p.agent.get('/staff', { 'hx-request': 'true' });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['hx-redirect'], '/staff/confirm?reason=idle');
    // Never in the area since signing in (an hour ago) counts as idle as well.
    await age(p, 1, null);
    assert.equal((await p.agent.get('/staff')).headers.location, '/staff/confirm?reason=idle');
    // A young sign-in with recent use passes, and moves the idle clock.
    await age(p, 1, 5);
    assert.equal((await p.agent.get('/staff')).statusCode, 200);
    const s = await t.owner
      .selectFrom('sessions')
      .select(sql<boolean>`staff_seen_at > now() - interval '1 minute'`.as('fresh'))
      .where('user_id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(s.fresh, true);
  });

  it('a wrong password is refused with the form again, counts toward the lock, and renews nothing', async () => {
    await age(p, 13, 1);
    const before = await t.owner
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    await p.agent.get('/staff/confirm');
    const res = await p.agent.post('/staff/confirm', { password: 'not my password', next: '/staff' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That password is not right/);
    const after = await t.owner
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.failed_logins, before.failed_logins + 1);
    assert.equal((await p.agent.get('/staff')).statusCode, 303, 'still asked for the password');
  });

  it('after the prompt, a next address outside the back-office is ignored', async () => {
    await age(p, 13, 1);
    await p.agent.get('/staff/confirm');
    const res = await p.agent.post('/staff/confirm', { password: p.password, next: 'https://evil.example/staff' });
    assert.equal(res.headers.location, '/staff');
    await age(p, 13, 1);
    await p.agent.get('/staff/confirm');
    const res2 = await p.agent.post('/staff/confirm', { password: p.password, next: '/o/somewhere' });
    assert.equal(res2.headers.location, '/staff');
  });

  it('a person whose staff role was taken away gets 404 at once, in the same session', async () => {
    const q = await person();
    await makeStaff(q, 'support');
    assert.equal((await q.agent.get('/staff')).statusCode, 200);
    await t.owner.updateTable('users').set({ staff_role: null }).where('id', '=', q.id).execute();
    assert.equal((await q.agent.get('/staff')).statusCode, 404);
  });
});

describe('superusers manage the staff team in the back-office', () => {
  let root: Person;
  let support: Person;
  before(async () => {
    root = await person();
    await makeStaff(root, 'superuser');
    support = await person();
    await makeStaff(support, 'support');
    await root.agent.get('/staff');
    await support.agent.get('/staff');
  });

  it('a support member is refused (403) and sees no team form; nothing changes', async () => {
    assert.doesNotMatch((await support.agent.get('/staff')).body, /action="\/staff\/team\/role"/);
    const res = await support.agent.post('/staff/team/role', { email: support.email, role: 'superuser' });
    assert.equal(res.statusCode, 403);
    assert.equal(await staffRoleOf(support.id), 'support');
  });

  it('a superuser gives a customer a role, changes it and takes it away; each step is audited', async () => {
    const c = await person();
    await root.agent.get('/staff');
    for (const [role, expected] of [
      ['operator', 'operator'],
      ['support', 'support'],
      ['none', null],
    ] as const) {
      const res = await root.agent.post('/staff/team/role', { email: c.email.toUpperCase(), role });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      assert.equal(await staffRoleOf(c.id), expected);
    }
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'changes'])
      .where('target_id', '=', c.id)
      .where('action', 'like', 'staff.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_user_id]),
      [
        ['staff.role_granted', root.id],
        ['staff.role_changed', root.id],
        ['staff.role_removed', root.id],
      ],
    );
  });

  it('an unknown email, a made-up role, and the last superuser stepping down are refused with the form again', async () => {
    await root.agent.get('/staff');
    const unknown = await root.agent.post('/staff/team/role', { email: 'nobody@example.test', role: 'support' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no account with the email nobody@example.test/);
    const bad = await root.agent.post('/staff/team/role', { email: root.email, role: 'god' });
    assert.equal(bad.statusCode, 422);
    // Every other superuser steps down first (the suite's earlier ones), then the last one tries.
    await t.owner
      .updateTable('users')
      .set({ staff_role: 'support' })
      .where('staff_role', '=', 'superuser')
      .where('id', '!=', root.id)
      .execute();
    const last = await root.agent.post('/staff/team/role', { email: root.email, role: 'support' });
    assert.equal(last.statusCode, 422);
    assert.match(last.body, /is the last superuser/);
    assert.equal(await staffRoleOf(root.id), 'superuser');
  });
});
