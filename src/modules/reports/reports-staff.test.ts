// Operators build a monthly report again from its back-office page: one build at a time, audited
// with the reason, in the report's org; a report this version cannot read says so and can be
// rebuilt into one it can. Refused: support (403), a page out of date (409), a malformed month
// (404), a month with a build already waiting (409).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';

const t = useTestApp();

let org: BuiltOrg;
let operator: StaffPerson;
let support: StaffPerson;
const MONTH = '2026-10-01';
const page = () => `/staff/reports/${org.orgId}/${MONTH}`;

const reportRow = () =>
  t.owner
    .selectFrom('monthly_reports')
    .selectAll()
    .where('org_id', '=', org.orgId)
    .where('month', '=', MONTH)
    .executeTakeFirstOrThrow();

function seenOn(body: string): string {
  const m = /name="rebuild_seen" value="([^"]+)"/.exec(body);
  assert.ok(m, 'the page offers a rebuild');
  return m[1]!;
}

describe('operators rebuild a monthly report', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Report Rebuilders' });
    const v = await buildVendor(t, org.orgId);
    await buildInvoice(t, org.orgId, v.id, { number: 'OCT-1', status: 'approved', issueDate: '2026-10-05' });
    // Stored by an older version, in a shape this one cannot read.
    await t.owner
      .insertInto('monthly_reports')
      .values({ org_id: org.orgId, month: MONTH, data: JSON.stringify({ totals: 'old shape' }) })
      .execute();
    operator = await staffPerson(t, 'operator');
    support = await staffPerson(t, 'support');
  });

  it('an unreadable report says so; a rebuild is queued once, audited, and replaces it with one that reads', async () => {
    const shown = await operator.agent.get(page());
    assert.equal(shown.statusCode, 200, shown.body.slice(0, 300));
    assert.match(shown.body, /Report for October 2026/);
    assert.match(shown.body, /not readable by this version/);
    const seen = seenOn(shown.body);
    const list = await operator.agent.get(`/staff/reports?org=${org.slug}`);
    assert.match(list.body, new RegExp(`href="${page()}"`));

    const ask = (who: StaffPerson, fields: Record<string, string> = {}) =>
      who.agent.post(`${page()}/rebuild`, { rebuild_reason: 'ticket 5: old shape', rebuild_seen: seen, ...fields });
    assert.equal((await ask(operator, { rebuild_seen: '2020-01-01T00:00:00.000Z' })).statusCode, 409);
    assert.equal((await ask(operator, { rebuild_reason: '' })).statusCode, 422);
    await support.agent.get(page());
    assert.equal((await ask(support)).statusCode, 403);

    assert.equal((await ask(operator)).statusCode, 303);
    // A second click while the build waits queues nothing more.
    const again = await ask(operator);
    assert.equal(again.statusCode, 409);
    const runs = await t.owner
      .selectFrom('task_runs')
      .select(['id', 'created_by'])
      .where('org_id', '=', org.orgId)
      .where('task', '=', 'reports.build_monthly')
      .execute();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.created_by, operator.id);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['actor_user_id', 'changes'])
      .where('action', '=', 'report.rebuild_requested')
      .where('org_id', '=', org.orgId)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.changes as Record<string, unknown>).reason, 'ticket 5: old shape');
    const waiting = await operator.agent.get(page());
    assert.doesNotMatch(waiting.body, /\/rebuild"/, 'not offered while a build waits');
    assert.match(waiting.body, new RegExp(`href="/staff/task-runs/${runs[0]!.id}"`));

    await t.startWorker();
    const rebuilt = await eventually(async () => {
      const r = await reportRow();
      return r.generated_at.toISOString() !== seen ? r : null;
    }, 20_000);
    assert.ok(Array.isArray((rebuilt.data as { byCurrency?: unknown }).byCurrency), 'the new shape');
    const done = await eventually(async () => {
      const b = await operator.agent.get(page());
      return /readable/.test(b.body) && !/not readable/.test(b.body) && /name="rebuild_seen"/.test(b.body) ? b : null;
    }, 20_000);
    assert.match(done.body, /Invoices counted/);
  });

  it('a malformed month or an unknown report is a page that does not exist', async () => {
    for (const m of ['2026-10', '2026-13-01', 'abc', '2026-10-02'])
      assert.equal((await operator.agent.get(`/staff/reports/${org.orgId}/${m}`)).statusCode, 404, m);
    assert.equal((await operator.agent.get(`/staff/reports/${org.orgId}/2025-01-01`)).statusCode, 404);
  });
});
