// Monthly reports: what the org spent per vendor, category and currency, and how fast it
// approved. Built by a task (on the 1st for every org, or on request) and read from storage.
import type { Readable } from 'node:stream';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import { csvStream, type CsvCell } from '../../core/csv.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { BadRequestError, NotFoundError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { toDecimalString } from '../../core/money.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { monthKey } from './month.ts';
import { authorize, can } from './policy.ts';
import * as q from './queries.ts';
import { buildMonthly } from './tasks.ts';
import { REPORT_AUDIT } from './audit.ts';
export { reportPaths } from './paths.ts';

export { buildMonthlyReport } from './build-report.ts';
export { enqueueMonthlyReports } from './schedule.ts';
export type { MonthlyReportData } from './queries.ts';

export async function reportsOverview(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'report.view');
  const reports = await withOrg(db, org.id, actor.userId, (tx) => q.listReports(tx, org.id));
  return { reports, canRebuild: can(org, 'report.rebuild') };
}

/** The stored report of a month (null when it was never built), with the org's default currency for the charts. */
export async function monthlyReport(db: Db, actor: UserActor, org: OrgContext, month: string) {
  authorize(org, 'report.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const r = await q.report(tx, org.id, month);
    return {
      month,
      report: r ? { data: q.readMonthlyReport(r.data), generatedAt: r.generated_at } : null,
      currency: await q.defaultCurrency(tx, org.id),
      canRebuild: can(org, 'report.rebuild'),
    };
  });
}

/** The month's report as CSV: one line per figure, section by section. Audited like any data export. */
export async function reportCsv(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  month: string,
): Promise<{ filename: string; body: Readable }> {
  authorize(org, 'report.view');
  const data = await withOrg(db, org.id, actor.userId, async (tx) => {
    const r = await q.report(tx, org.id, month);
    if (!r) throw new NotFoundError('There is no report for that month yet.');
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: REPORT_AUDIT.downloaded,
      target: { type: 'monthly_report', id: month },
    });
    return q.readMonthlyReport(r.data);
  });
  const amount = (t: q.Total) => toDecimalString(t.total, t.minorUnits);
  const lines: CsvCell[][] = [
    ...data.byCurrency.map((t) => ['currency', t.currency, t.currency, t.count, amount(t)]),
    ...data.byVendor.map((t) => ['vendor', t.vendor, t.currency, t.count, amount(t)]),
    ...data.byCategory.map((t) => ['category', t.category, t.currency, t.count, amount(t)]),
    ['approvals', 'approved', '', data.approvals.approved, ''],
    ['approvals', 'rejected', '', data.approvals.rejected, ''],
    ['approvals', 'median_hours_to_approval', '', '', data.approvals.medianHours],
    ['approvals', 'average_hours_to_approval', '', '', data.approvals.averageHours],
  ];
  async function* rows() {
    yield* lines;
  }
  return {
    filename: `report-${monthKey(month)}.csv`,
    body: csvStream(['section', 'name', 'currency', 'invoices', 'total'], rows()),
  };
}

/** Builds a month's report again in the background (a month that has not started cannot be reported on). */
export async function rebuildReport(db: Db, actor: UserActor, org: OrgContext, month: string): Promise<void> {
  authorize(org, 'report.rebuild');
  if (month > new Date().toISOString().slice(0, 10))
    throw new BadRequestError('That month has not started yet, so there is nothing to report.');
  await withOrg(db, org.id, actor.userId, async (tx) => {
    await enqueue(tx, buildMonthly, { orgId: org.id, month }, { orgId: org.id, createdBy: actor.userId });
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: REPORT_AUDIT.rebuild_requested,
      target: { type: 'monthly_report', id: month },
    });
  });
}
