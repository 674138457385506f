import { recordAudit, SYSTEM_ACTOR } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import * as q from './queries.ts';
import { REPORT_AUDIT } from './audit.ts';

/** Computes one org's report for a month and stores it, replacing an earlier build of that month. */
export async function buildMonthlyReport(
  db: Db,
  orgId: string,
  month: string,
): Promise<{ month: string; invoices: number }> {
  return withOrg(db, orgId, null, async (tx) => {
    const data = await q.computeMonthly(tx, orgId, month);
    await q.upsertReport(tx, orgId, month, data);
    const invoices = data.byCurrency.reduce((n, c) => n + c.count, 0);
    await recordAudit(tx, {
      orgId,
      actor: SYSTEM_ACTOR,
      action: REPORT_AUDIT.generated,
      target: { type: 'monthly_report', id: month },
      changes: { invoices },
    });
    return { month, invoices };
  });
}
