// The operations lists' own rules: task runs of no org, the audit log's searches, CSP reports'
// prefix search and the capped count, the mail outbox's delivery filter.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { useTestApp } from '../../testing/harness.ts';
import { seedTwoOrgs, type SeededOrgs } from '../../testing/admin-seed.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';

const t = useTestApp();

let operator: StaffPerson;
let orgs: SeededOrgs;
const get = async (url: string) => {
  const res = await operator.agent.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
  return res.body;
};
const count = (body: string) => /id="list-count">([\d,+]+) record/.exec(body)?.[1];

describe('the operations lists', () => {
  before(async () => {
    operator = await staffPerson(t, 'operator');
    orgs = await seedTwoOrgs(t);
  });

  it('task runs: the platform ones that belong to no org, and the failed ones of every org', async () => {
    const platform = await get('/staff/task-runs?scope=platform');
    assert.match(platform, /platform\.cleanup_sessions/);
    assert.doesNotMatch(platform, /exports\.build_export/);
    const failed = await get('/staff/task-runs?status=failed');
    assert.equal(count(failed), '2');
    assert.match(failed, /disk full/);
    const ofA = await get(`/staff/task-runs?org=${orgs.a.slug}`);
    assert.match(ofA, new RegExp(`org=${orgs.a.slug}"`));
    assert.doesNotMatch(ofA, new RegExp(`org=${orgs.b.slug}"`));
    assert.doesNotMatch(ofA, /platform\.cleanup_sessions/);
    assert.match(await get('/staff/task-runs?q=platform.'), /platform\.cleanup_sessions/);
  });

  it('a search term is matched as typed: % and _ are not wildcards', async () => {
    assert.equal(count(await get('/staff/task-runs?q=%25')), '0');
    assert.equal(count(await get('/staff/task-runs?q=_')), '0');
  });

  it('audit log: by action prefix, target id, request id, actor email and org', async () => {
    await t.owner
      .insertInto('audit_log')
      .values({
        org_id: orgs.b.orgId,
        actor_user_id: orgs.b.ownerId,
        action: 'org.settings_changed',
        request_id: 'req-staff-test-1',
      })
      .execute();
    const owner = await t.owner
      .selectFrom('users')
      .select('email')
      .where('id', '=', orgs.b.ownerId)
      .executeTakeFirstOrThrow();
    assert.equal(count(await get('/staff/audit-log?q=req-staff-test-1')), '1');
    assert.match(await get('/staff/audit-log?q=org.settings'), /org\.settings_changed/);
    const byActor = await get(`/staff/audit-log?q=${encodeURIComponent(owner.email.toUpperCase())}&org=${orgs.b.slug}`);
    assert.match(byActor, /org\.settings_changed/);
    assert.match(byActor, /vendor\.created/);
    assert.doesNotMatch(byActor, new RegExp(`org=${orgs.a.slug}"`));
    const created = await get(`/staff/audit-log?q=vendor.created&org=${orgs.a.slug}`);
    assert.equal(count(created), '1');
  });

  it('mail outbox: by delivery state and recipient, never the body', async () => {
    const queued = await get('/staff/mail?status=queued&q=someone%40');
    assert.match(queued, /Seeded mail/);
    assert.doesNotMatch(queued, /SECRETRESETTOKEN/);
    assert.equal(count(await get('/staff/mail?status=failed&q=someone%40')), '0');
  });

  it('CSP reports: prefix search on the directive or the blocked address; the count stops at 10,000', async () => {
    assert.match(await get('/staff/csp-reports?q=script-src'), /evil\.example/);
    assert.match(await get('/staff/csp-reports?q=https%3A%2F%2Fevil'), /script-src-elem/);
    assert.equal(count(await get('/staff/csp-reports?q=style-src')), '0');
    await sql`insert into csp_reports (violated_directive, blocked_uri, raw)
      select 'img-src', 'https://img.example/' || g, '{}' from generate_series(1, 10001) g`.execute(t.owner);
    const all = await get('/staff/csp-reports');
    assert.equal(count(all), '10,000+');
    assert.match(all, /rel="next">Next page/);
  });
});
