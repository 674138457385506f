import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { eventually, signUp, useTestApp } from '../../testing/harness.ts';
import { SCHEDULES } from '../../server.ts';
import { csvRows } from '../exports/test-helpers.ts';
import { buildInvoice, buildOrg, buildVendor, EVERY_ROLE } from '../../testing/factories.ts';
import { previousMonth } from './month.ts';
import { enqueueMonthly } from './schedule.ts';
import { buildMonthlyReport, type MonthlyReportData } from './service.ts';

const t = useTestApp();

async function decide(orgId: string, id: string, submittedAt: string, decidedAt: string) {
  await t.owner
    .updateTable('invoices')
    .set({ submitted_at: submittedAt, decided_at: decidedAt })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

async function stored(orgId: string) {
  return t.owner.selectFrom('monthly_reports').selectAll().where('org_id', '=', orgId).execute();
}

describe('monthly reports', () => {
  it('a malformed month is a page that does not exist (404), for the page and its CSV', async () => {
    const { slug, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    for (const m of ['2026-13', '2026-1', 'abc', '2026-10-01', '0000-00', '202610']) {
      assert.equal((await owner.agent.get(`/o/${slug}/reports/${m}`)).statusCode, 404, m);
      assert.equal((await owner.agent.get(`/o/${slug}/reports/${m}/csv`)).statusCode, 404, m);
    }
    // A well-formed month without a report is a page that says so; its CSV does not exist.
    const empty = await owner.agent.get(`/o/${slug}/reports/2026-10`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No report for this month yet/);
    assert.equal((await owner.agent.get(`/o/${slug}/reports/2026-10/csv`)).statusCode, 404);
    // Rebuilding needs a real month.
    await owner.agent.get(`/o/${slug}/reports`);
    assert.equal((await owner.agent.post(`/o/${slug}/reports/rebuild`, { month: '2026-13' })).statusCode, 400);
    assert.equal((await owner.agent.post(`/o/${slug}/reports/rebuild`, { month: '2999-01' })).statusCode, 400);
  });

  it('a NUL character or an impossible month is refused (400) on the rebuild, never 500, and nothing is enqueued', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Report Org', roles: EVERY_ROLE });
    await owner.agent.get(`/o/${slug}/reports`);
    for (const month of ['2026-00', '2026-10\u0000', '', '99999-01', "2026-10' or 1=1"]) {
      const res = await owner.agent.post(`/o/${slug}/reports/rebuild`, { month });
      assert.equal(res.statusCode, 400, JSON.stringify(month));
      assert.match(res.body, month.includes('\u0000') ? /NUL character/ : /Choose a month, like 2026-10/);
    }
    const twice = await owner.agent.request({
      method: 'POST',
      url: `/o/${slug}/reports/rebuild`,
      payload: new URLSearchParams([
        ['month', '2026-10'],
        ['month', '2026-11'],
        ['_csrf', owner.agent.csrf ?? ''],
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(twice.statusCode, 400);
    const runs = await t.owner
      .selectFrom('task_runs')
      .select('id')
      .where('org_id', '=', orgId)
      .where('task', '=', 'reports.build_monthly')
      .execute();
    assert.deepEqual(runs, []);
    // In the address, a NUL is refused outright; any other impossible month is a page that does not exist.
    assert.equal((await owner.agent.get(`/o/${slug}/reports/2026-10%00`)).statusCode, 400);
    assert.equal((await owner.agent.get(`/o/${slug}/reports/2026-10%00/csv`)).statusCode, 400);
    assert.equal((await owner.agent.get(`/o/${slug}/reports/99999-12`)).statusCode, 404);
  });

  it('totals per vendor, category and currency count only invoices issued that month and approved, scheduled or paid; re-running replaces the month', async () => {
    const { slug, orgId, owner, people } = await buildOrg(t, { name: 'Report Org', roles: EVERY_ROLE });
    const other = await buildOrg(t, { name: 'Other Report Org', roles: EVERY_ROLE });
    const acme = await buildVendor(t, orgId, { name: 'Acme' });
    const initech = await buildVendor(t, orgId, { name: '=Initech', currency: 'USD' });
    const elsewhere = await buildVendor(t, other.orgId);
    const payout = await t.owner
      .insertInto('payouts')
      .values({ org_id: orgId, reference: 'PO-REPORT-1', currency: 'EUR', created_by: owner.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inv = (vendorId: string, over: Parameters<typeof buildInvoice>[3]) =>
      buildInvoice(t, orgId, vendorId, {
        issueDate: '2026-10-15',
        dueDate: '2026-11-15',
        submittedBy: people.member.id,
        ...over,
      });
    const a1 = await inv(acme.id, { status: 'approved', amountMinor: 10_000, category: 'software' });
    const a2 = await inv(acme.id, { status: 'paid', amountMinor: 5_050, category: 'hardware', payoutId: payout.id });
    const a3 = await inv(acme.id, {
      status: 'scheduled',
      amountMinor: 2_500,
      category: 'software',
      payoutId: payout.id,
    });
    const u1 = await inv(initech.id, { status: 'approved', amountMinor: 3_000, currency: 'USD', category: 'services' });
    // Not spend: waiting, rejected, a draft, another month, another org.
    await inv(acme.id, { status: 'submitted', amountMinor: 99_999 });
    const rejected = await inv(acme.id, { status: 'rejected', amountMinor: 88_888 });
    await inv(acme.id, { amountMinor: 77_777 });
    const september = await inv(acme.id, { status: 'approved', amountMinor: 66_666, issueDate: '2026-09-30' });
    await buildInvoice(t, other.orgId, elsewhere.id, {
      status: 'approved',
      amountMinor: 55_555,
      issueDate: '2026-10-10',
    });
    // Decisions in October: 2 h, 4 h, 12 h and 30 h to approval; one rejection; September's decided in September.
    await decide(orgId, a1.id, '2026-10-01T08:00:00Z', '2026-10-01T10:00:00Z');
    await decide(orgId, a2.id, '2026-10-02T08:00:00Z', '2026-10-02T12:00:00Z');
    await decide(orgId, a3.id, '2026-10-03T00:00:00Z', '2026-10-03T12:00:00Z');
    await decide(orgId, u1.id, '2026-10-30T00:00:00Z', '2026-10-31T06:00:00Z');
    await decide(orgId, rejected.id, '2026-10-05T00:00:00Z', '2026-10-05T01:00:00Z');
    await decide(orgId, september.id, '2026-09-29T00:00:00Z', '2026-09-30T23:00:00Z');

    await buildMonthlyReport(t.db, orgId, '2026-10-01');
    const [first] = await stored(orgId);
    const data = first?.data as MonthlyReportData;
    assert.deepEqual(data.byCurrency, [
      { currency: 'EUR', minorUnits: 2, count: 3, total: '17550' },
      { currency: 'USD', minorUnits: 2, count: 1, total: '3000' },
    ]);
    assert.deepEqual(
      data.byVendor.map((v) => [v.vendor, v.currency, v.count, v.total]),
      [
        ['Acme', 'EUR', 3, '17550'],
        ['=Initech', 'USD', 1, '3000'],
      ],
    );
    assert.deepEqual(
      data.byCategory.map((c) => [c.category, c.currency, c.count, c.total]),
      [
        ['software', 'EUR', 2, '12500'],
        ['hardware', 'EUR', 1, '5050'],
        ['services', 'USD', 1, '3000'],
      ],
    );
    assert.deepEqual(data.approvals, { approved: 4, rejected: 1, medianHours: 8, averageHours: 12 });

    // Re-running the month replaces it: one row, the new figures.
    const late = await inv(acme.id, { status: 'approved', amountMinor: 450, category: 'office' });
    await decide(orgId, late.id, '2026-10-20T00:00:00Z', '2026-10-20T01:00:00Z');
    await buildMonthlyReport(t.db, orgId, '2026-10-01');
    const rows = await stored(orgId);
    assert.equal(rows.length, 1);
    assert.deepEqual((rows[0]?.data as MonthlyReportData).byCurrency[0], {
      currency: 'EUR',
      minorUnits: 2,
      count: 4,
      total: '18000',
    });
    assert.ok(rows[0]!.generated_at >= first!.generated_at);
    assert.deepEqual(await stored(other.orgId), [], "another org's report is not built by this org's run");

    // The page shows charts and tables; the CSV has the same figures, neutralized.
    const page = await people.viewer.agent.get(`/o/${slug}/reports/2026-10`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg class="chart"/);
    assert.match(page.body, /October 2026/);
    assert.match(page.body, /€180\.00|180\.00/);
    assert.doesNotMatch(page.body, /Rebuild/, 'a viewer reads the report but cannot rebuild it');
    const list = await people.viewer.agent.get(`/o/${slug}/reports`);
    assert.match(list.body, new RegExp(`/o/${slug}/reports/2026-10`));
    const csv = await people.viewer.agent.get(`/o/${slug}/reports/2026-10/csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="report-2026-10\.csv"/);
    const lines = csvRows(csv.body);
    assert.deepEqual(
      lines.find((l) => l.section === 'vendor' && l.currency === 'USD'),
      { section: 'vendor', name: "'=Initech", currency: 'USD', invoices: '1', total: '30.00' },
    );
    assert.deepEqual(lines.find((l) => l.name === 'median_hours_to_approval')?.total, '4');
    assert.deepEqual(lines.find((l) => l.name === 'average_hours_to_approval')?.total, '9.8');
  });

  it('Rebuild (owner or admin) enqueues a build that the worker runs, replacing the month', async () => {
    const { slug, orgId, people } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, {
      status: 'approved',
      issueDate: '2026-10-03',
      dueDate: '2026-10-30',
      submittedBy: people.member.id,
      amountMinor: 1_234,
    });
    await people.admin.agent.get(`/o/${slug}/reports/2026-10`);
    const res = await people.admin.agent.post(`/o/${slug}/reports/rebuild`, { month: '2026-10' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${slug}/reports/2026-10`);
    await t.startWorker();
    const [r] = await eventually(
      async () => ((await stored(orgId)).length ? stored(orgId) : null),
      15_000,
      'the report',
    );
    assert.equal((r?.data as MonthlyReportData).byCurrency[0]?.total, '1234');
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('org_id', '=', orgId)
      .where('action', 'like', 'report.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(audit, [
      { action: 'report.rebuild_requested', actor_user_id: people.admin.id },
      { action: 'report.generated', actor_user_id: null },
    ]);
    // An accountant may read but not rebuild.
    await people.accountant.agent.get(`/o/${slug}/reports/2026-10`);
    assert.equal(
      (await people.accountant.agent.post(`/o/${slug}/reports/rebuild`, { month: '2026-10' })).statusCode,
      403,
    );
  });

  it("the schedule's enqueue task creates one build run per org for the previous month", async () => {
    await signUp(t.app);
    await signUp(t.app);
    const schedule = SCHEDULES.find((s) => s.identifier === 'reports.monthly');
    assert.equal(schedule?.cron, '0 4 1 * *');
    assert.equal(schedule?.task.name, 'reports.enqueue_monthly');
    assert.equal(previousMonth(new Date('2027-01-01T04:00:00Z')), '2026-12-01');
    assert.equal(previousMonth(new Date('2026-03-31T23:59:00Z')), '2026-02-01');

    const month = previousMonth(new Date());
    const orgs = await t.owner.selectFrom('organizations').select('id').execute();
    const result = await enqueueMonthly.execute(
      {},
      {
        ...t.services,
        runId: 'none',
        orgId: null,
        attempt: 1,
        maxAttempts: 3,
        db: t.db,
        progress: async () => undefined,
        transaction: (fn) => withOrg(t.db, orgs[0]!.id, null, fn),
      },
    );
    assert.deepEqual(result, { month, orgs: orgs.length });
    const runs = await t.owner
      .selectFrom('task_runs')
      .select(['org_id', 'input'])
      .where('task', '=', 'reports.build_monthly')
      .where('input', '@>', sql`${JSON.stringify({ month })}::jsonb` as never)
      .where('created_by', 'is', null) // not the Rebuild of an earlier test
      .execute();
    assert.deepEqual(runs.map((r) => r.org_id).sort(), orgs.map((o) => o.id).sort());
    for (const r of runs) assert.deepEqual(r.input, { orgId: r.org_id, month });
  });
});
