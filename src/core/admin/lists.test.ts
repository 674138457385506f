// The back-office lists as a whole: every declared list renders for each staff role with records
// of two orgs; its query string is validated (a bad filter or a forged cursor answers 400);
// keyset pagination walks every row exactly once; counts stop at the cap.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { STAFF_ROLES, type StaffRole } from '../http/staff-access.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, staffTeam, type StaffPerson } from '../../testing/staff.ts';
import { seedTwoOrgs, type SeededOrgs } from '../../testing/admin-seed.ts';
import { encodeCursor } from './list-params.ts';

const t = useTestApp();

let team: Map<StaffRole, StaffPerson>;
let orgs: SeededOrgs;
const lists = () => t.app.appContext.adminNav.flatMap((g) => g.lists.filter((l) => !l.page).map((l) => l.name));
const support = () => team.get('support')!.agent;

/** The org addresses a page links to (the org column of every list). */
const orgLinks = (body: string) =>
  [...body.matchAll(/href="\/staff\/organizations\?org=([a-z0-9-]+)"/g)].map((m) => m[1]);

describe('the back-office lists', () => {
  before(async () => {
    team = await staffTeam(t);
    orgs = await seedTwoOrgs(t);
  });

  it('the catalog declares the lists of every area, each a staff:any GET route under /staff', () => {
    const areas = t.app.appContext.adminNav.map((g) => g.area);
    assert.deepEqual(areas, ['Customers', 'Finance', 'Data', 'Operations']);
    for (const name of lists()) {
      const r = t.app.routeList.find((x) => x.url === `/staff/${name}` && x.method === 'GET');
      assert.equal(r?.access, 'staff:any', `/staff/${name}`);
    }
  });

  it('every list renders for each staff role, with the records of both orgs where records belong to one', async () => {
    for (const role of STAFF_ROLES) {
      for (const name of lists()) {
        const res = await team.get(role)!.agent.get(`/staff/${name}`);
        assert.equal(res.statusCode, 200, `/staff/${name} as ${role}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        assert.match(res.body, /class="topbar staff-topbar"/);
        assert.match(res.body, /id="list-count"/);
        const links = orgLinks(res.body);
        if (orgs.listsWithOrgs.includes(name))
          for (const slug of [orgs.a.slug, orgs.b.slug])
            assert.ok(links.includes(slug), `/staff/${name} shows ${slug}`);
      }
    }
  });

  it('the staff home page links every list, grouped by area', async () => {
    const res = await support().get('/staff');
    for (const name of lists()) assert.match(res.body, new RegExp(`href="/staff/${name}"`));
    assert.match(res.body, />Customers</);
    assert.match(res.body, />Operations</);
  });

  it('no list page ever shows a secret: token hashes, password hashes, TOTP secrets, full IBANs, mail bodies', async () => {
    for (const name of lists()) {
      const body = (await support().get(`/staff/${name}`)).body;
      for (const [what, secret] of Object.entries(orgs.secrets))
        assert.ok(!body.includes(secret), `/staff/${name} shows the ${what}`);
    }
    const vendors = await support().get(`/staff/vendors?org=${orgs.a.slug}`);
    assert.match(vendors.body, /GB82 •••• •••• •••• 5432/);
  });

  it('a bad filter value, an unknown sort or a bad date answers 400 with what is wrong', async () => {
    for (const [url, message] of [
      ['/staff/memberships?role=emperor', /role: Choose one of: owner/],
      ['/staff/organizations?sort=random', /sort: Sort by one of: newest, oldest, name/],
      ['/staff/organizations?created_from=2026-02-30', /created_from: That is not a date on the calendar/],
      ['/staff/organizations?created_from=2026-03-02&created_to=2026-03-01', /The range ends before it starts/],
      ['/staff/organizations?org=Not%20A%20Slug', /org: An organization is named by its address/],
    ] as const) {
      const res = await support().get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, message, url);
    }
  });

  it('a forged or foreign cursor answers 400 with a clear message, never a 500', async () => {
    const forged = [
      'not base64 at all!',
      Buffer.from('{"s":"newest"').toString('base64url'),
      encodeCursor('newest', ['2026-13-45T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000']),
      encodeCursor('newest', ["'; drop table users; --", '00000000-0000-4000-8000-000000000000']),
      encodeCursor('newest', ['2026-01-01T00:00:00.000000Z', 'not-a-uuid']),
      encodeCursor('name', ['Acme', '00000000-0000-4000-8000-000000000000']),
      encodeCursor('newest', ['2026-01-01T00:00:00.000000Z']),
    ];
    for (const after of forged) {
      const res = await support().get(`/staff/organizations?after=${encodeURIComponent(after)}`);
      assert.equal(res.statusCode, 400, after);
      assert.match(res.body, /after: This page link is broken or out of date/, after);
    }
  });

  it('search and filters return the right rows, and an empty result says what to do', async () => {
    const byName = await support().get(`/staff/organizations?q=${encodeURIComponent(orgs.a.name.slice(0, 8))}`);
    assert.ok(orgLinks(byName.body).includes(orgs.a.slug));
    assert.ok(!orgLinks(byName.body).includes(orgs.b.slug));
    const byOrg = await support().get(`/staff/memberships?org=${orgs.b.slug}`);
    assert.deepEqual([...new Set(orgLinks(byOrg.body))], [orgs.b.slug]);
    const owners = await support().get(`/staff/memberships?org=${orgs.a.slug}&role=viewer`);
    assert.match(owners.body, /No memberships match/);
    assert.match(owners.body, /Clear the filters/);
    const none = await support().get('/staff/organizations?q=zzzz-nothing-like-this');
    assert.match(none.body, />0 records/);
    // Two letters cannot use the trigram index: no scan, no rows, no error.
    assert.equal((await support().get('/staff/organizations?q=zq')).statusCode, 200);
  });

  it('pagination walks every row exactly once, for each sort, even when many rows share a timestamp', async () => {
    // One statement: every row gets the same created_at, so only the key orders them.
    await sql`insert into organizations (name, slug)
      select 'Bulk org ' || g, 'bulk-org-' || g from generate_series(1, 120) g`.execute(t.owner);
    const total = Number(
      (
        await t.owner
          .selectFrom('organizations')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    for (const sort of ['newest', 'oldest', 'name']) {
      const seen: string[] = [];
      let url: string | undefined = `/staff/organizations?sort=${sort}`;
      let pages = 0;
      while (url) {
        const res = await support().get(url);
        assert.equal(res.statusCode, 200, url);
        assert.match(res.body, new RegExp(`>${total} records`));
        seen.push(
          ...[...res.body.matchAll(/<a class="nowrap" href="\/staff\/organizations\?org=([a-z0-9-]+)"/g)].map(
            (m) => m[1]!,
          ),
        );
        const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(res.body)?.[1];
        url = next?.replace(/&amp;/g, '&');
        pages++;
      }
      assert.equal(pages, Math.ceil(total / 50), sort);
      assert.equal(seen.length, total, `${sort}: every row once`);
      assert.equal(new Set(seen).size, total, `${sort}: no row twice`);
    }
  });
});

describe('the staff read policy (row-level security, migration 0009)', () => {
  let orgsSeeded: SeededOrgs;
  before(async () => {
    orgsSeeded = orgs ?? (await seedTwoOrgs(t));
  });

  /** What the runtime role reads of two tenant tables with app.staff_user_id set to `userId`. */
  async function readsAs(userId: string | null) {
    return t.db.transaction().execute(async (tx) => {
      await sql`select set_config('app.staff_user_id', ${userId ?? ''}, true)`.execute(tx);
      const r = await sql<{ orgs: number; invoices: number; runs: number }>`select
        (select count(*)::int from organizations where id in (${orgsSeeded.a.orgId}, ${orgsSeeded.b.orgId})) as orgs,
        (select count(*)::int from invoices) as invoices,
        (select count(*)::int from audit_log) as runs`.execute(tx);
      return r.rows[0]!;
    });
  }

  it('unset, a non-staff user, staff without two-factor, a removed or deactivated staff member: nothing across orgs', async () => {
    const customer = await staffPerson(t, null);
    const noTwoFactor = await staffPerson(t, 'support', false);
    const removed = await staffPerson(t, 'operator');
    await t.owner.updateTable('users').set({ staff_role: null }).where('id', '=', removed.id).execute();
    const gone = await staffPerson(t, 'superuser');
    await t.owner
      .updateTable('users')
      .set({ is_active: false, deactivated_at: new Date() })
      .where('id', '=', gone.id)
      .execute();
    for (const id of [null, customer.id, noTwoFactor.id, removed.id, gone.id, '00000000-0000-4000-8000-000000000000'])
      assert.deepEqual(await readsAs(id), { orgs: 0, invoices: 0, runs: 0 }, `app.staff_user_id = ${id}`);
  });

  it('an active staff member with two-factor reads both orgs', async () => {
    const r = await readsAs(team.get('operator')!.id);
    assert.equal(r.orgs, 2);
    assert.ok(r.invoices >= 2);
  });

  it('a staff reader can neither insert nor update nor delete a tenant row', async () => {
    const staffId = team.get('superuser')!.id;
    const attempt = (statement: ReturnType<typeof sql>) =>
      t.db.transaction().execute(async (tx) => {
        await sql`select set_config('app.staff_user_id', ${staffId}, true)`.execute(tx);
        return statement.execute(tx);
      });
    await assert.rejects(
      attempt(
        sql`insert into vendors (org_id, name, tax_id, default_currency) values (${orgsSeeded.a.orgId}, 'X', 'DE1', 'EUR')`,
      ),
      /row-level security/,
    );
    const updated = await attempt(sql`update organizations set name = 'Taken over' where id = ${orgsSeeded.a.orgId}`);
    assert.equal(Number(updated.numAffectedRows ?? 0), 0);
    const deleted = await attempt(sql`delete from invoices where org_id = ${orgsSeeded.b.orgId}`);
    assert.equal(Number(deleted.numAffectedRows ?? 0), 0);
  });

  it('every table with row-level security has a staff read policy, and it is FOR SELECT', async () => {
    const r = await sql<{ table: string; cmd: string | null }>`
      select c.relname as table, p.cmd
        from pg_class c
        left join pg_policies p on p.tablename = c.relname and p.policyname = c.relname || '_staff_read'
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relrowsecurity`.execute(t.owner);
    assert.ok(r.rows.length >= 10);
    for (const row of r.rows) assert.equal(row.cmd, 'SELECT', `${row.table} has a FOR SELECT staff read policy`);
  });
});
