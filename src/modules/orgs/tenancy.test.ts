import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { buildOrg, orgIdOf, userIdOf } from '../../testing/factories.ts';
import { signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

describe('tenant isolation', () => {
  it("row-level security hides another org's rows even when a query forgets the org filter", async () => {
    const a = await signUp(t.app, { org: 'Alpha' });
    const b = await signUp(t.app, { org: 'Beta' });
    const alpha = await orgIdOf(t, a.slug);
    const beta = await orgIdOf(t, b.slug);
    const seen = await withOrg(t.db, alpha, null, async (tx) => ({
      memberships: await tx.selectFrom('memberships').select('org_id').execute(),
      audit: await tx.selectFrom('audit_log').select('org_id').execute(),
      orgs: await tx.selectFrom('organizations').select('id').execute(),
    }));
    assert.ok(seen.memberships.length > 0 && seen.memberships.every((m) => m.org_id === alpha));
    assert.ok(seen.audit.length > 0 && seen.audit.every((r) => r.org_id === alpha));
    assert.deepEqual(
      seen.orgs.map((o) => o.id),
      [alpha],
    );
    // Writing into another org is refused by the database too.
    await assert.rejects(
      withOrg(t.db, alpha, null, (tx) =>
        tx
          .insertInto('audit_log')
          .values({
            org_id: beta,
            action: 'test.forged',
            changes: '{}',
            actor_user_id: null,
            impersonator_user_id: null,
            target_type: null,
            target_id: null,
            request_id: null,
            ip: null,
          })
          .execute(),
      ),
      /row-level security/,
    );
  });

  it('outside any org, a forgotten withOrg sees no tenant rows at all', async () => {
    await signUp(t.app);
    const rows = await t.db.selectFrom('memberships').select('org_id').execute();
    assert.equal(rows.length, 0);
  });

  it("a member of org A gets 404 for org B's pages, and the answer names nothing of B", async () => {
    const a = await signUp(t.app, { org: 'Alpha Corp' });
    const b = await signUp(t.app, { org: 'Secret Beta Holdings' });
    for (const path of ['', '/members', '/activity']) {
      const res = await a.agent.get(`/o/${b.slug}${path}`);
      assert.equal(res.statusCode, 404, path);
      assert.doesNotMatch(res.body, /Secret Beta/);
      assert.ok(!res.body.includes(b.email));
    }
  });

  it('the runtime role cannot UPDATE or DELETE audit rows', async () => {
    const a = await signUp(t.app);
    const alpha = await orgIdOf(t, a.slug);
    await assert.rejects(
      withOrg(t.db, alpha, null, (tx) =>
        tx.updateTable('audit_log').set({ action: 'org.tampered' }).where('org_id', '=', alpha).execute(),
      ),
      /permission denied/,
    );
    await assert.rejects(
      withOrg(t.db, alpha, null, (tx) => tx.deleteFrom('audit_log').where('org_id', '=', alpha).execute()),
      /permission denied/,
    );
    await assert.rejects(sql`truncate audit_log`.execute(t.db), /permission denied/);
  });

  it('the runtime role owns no tables and cannot bypass row-level security', async () => {
    const r = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: string }>`
      select rolsuper, rolbypassrls,
             (select count(*) from pg_class c where c.relowner = r.oid)::text as owned
        from pg_roles r where rolname = current_user`.execute(t.db);
    assert.deepEqual(r.rows[0], { rolsuper: false, rolbypassrls: false, owned: '0' });
  });

  it('activity is for owners and admins: a viewer gets 403', async () => {
    const o = await buildOrg(t, { roles: ['viewer'] });
    const v = o.people.viewer;
    assert.equal((await v.agent.get(`/o/${o.slug}/activity`)).statusCode, 403);
    assert.equal((await v.agent.get(`/o/${o.slug}`)).statusCode, 200);
  });

  it('a removed member loses the org on their very next request', async () => {
    const o = await buildOrg(t, { roles: ['member'] });
    const alpha = o.orgId;
    const m = o.people.member;
    const memberId = m.id;
    assert.equal((await m.agent.get(`/o/${o.slug}`)).statusCode, 200);
    await t.owner.deleteFrom('memberships').where('org_id', '=', alpha).where('user_id', '=', memberId).execute();
    assert.equal((await m.agent.get(`/o/${o.slug}`)).statusCode, 404);
  });

  it('the database refuses to leave an organization without an owner', async () => {
    const a = await signUp(t.app);
    const alpha = await orgIdOf(t, a.slug);
    await assert.rejects(
      t.owner
        .updateTable('memberships')
        .set({ role: 'admin' })
        .where('org_id', '=', alpha)
        .where('user_id', '=', await userIdOf(t, a.email))
        .execute(),
      /would have no owner/,
    );
    await assert.rejects(
      t.owner.deleteFrom('memberships').where('org_id', '=', alpha).execute(),
      /would have no owner/,
    );
    // Deleting the organization itself takes its memberships with it.
    await t.owner.deleteFrom('organizations').where('id', '=', alpha).execute();
  });

  it('a person in several organizations switches between them', async () => {
    const a = await signUp(t.app, { org: 'First Org' });
    await a.agent.get('/orgs/new');
    const created = await a.agent.post('/orgs/new', { name: 'Second Org' });
    assert.equal(created.statusCode, 303);
    const second = String(created.headers.location);
    const page = await a.agent.get(second);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /First Org/, 'the switcher lists the other org');
    assert.equal((await a.agent.get(`/o/${a.slug}`)).statusCode, 200);
    const home = await a.agent.get('/');
    assert.equal(home.headers.location, `/o/${a.slug}`, 'home returns to the org used last');
  });
});
