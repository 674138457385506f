// The monthly report's figures, computed in SQL from integer minor units. The month is
// [first day, first day of the next month) in UTC, for issue dates and decision times alike.
import { sql } from 'kysely';
import { z } from 'zod';
import type { JsonValue } from '../../core/db/generated.ts';
import type { Tx } from '../../core/db/pool.ts';
import { ConflictError } from '../../core/http/errors.ts';

/** What counts as spend: invoices approved, in a payout, or paid. */
const SPENT = sql`('approved', 'scheduled', 'paid')`;

const total = z.object({
  currency: z.string(),
  minorUnits: z.number().int(),
  count: z.number().int(),
  total: z.string().regex(/^-?\d+$/),
});
export type Total = z.infer<typeof total>;

/**
 * A stored report (a jsonb column): checked when it is read, so a report written by an older
 * version with another shape fails loudly here instead of rendering wrong figures.
 */
const monthlyReportData = z.object({
  byCurrency: z.array(total),
  byVendor: z.array(total.extend({ vendorId: z.string(), vendor: z.string() })),
  byCategory: z.array(total.extend({ category: z.string() })),
  /** Invoices approved (or rejected) in the month, and how long approval took from submission. */
  approvals: z.object({
    approved: z.number().int(),
    rejected: z.number().int(),
    medianHours: z.number().nullable(),
    averageHours: z.number().nullable(),
  }),
});
export type MonthlyReportData = z.infer<typeof monthlyReportData>;

/** A stored report this version cannot read: the page asks for a rebuild instead of failing with a 500. */
export class UnreadableReportError extends ConflictError {
  constructor() {
    super('This report was stored in a form this version cannot read. Rebuild the month to see its figures.');
  }
}

export function readMonthlyReport(stored: JsonValue): MonthlyReportData {
  const r = monthlyReportData.safeParse(stored);
  if (!r.success) throw new UnreadableReportError();
  return r.data;
}

type TotalRow = { currency: string; minor_units: number; count: string; total: string };
const toTotal = (r: TotalRow): Total => ({
  currency: r.currency,
  minorUnits: r.minor_units,
  count: Number(r.count),
  total: r.total,
});
const round1 = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

export async function computeMonthly(tx: Tx, orgId: string, month: string): Promise<MonthlyReportData> {
  const issued = sql`i.org_id = ${orgId} and i.issue_date >= ${month}::date and i.issue_date < (${month}::date + interval '1 month') and i.status in ${SPENT}`;
  const byCurrency = await sql<TotalRow>`
    select i.currency, c.minor_units, count(*)::text as count, sum(i.amount_minor)::text as total
      from invoices i join currencies c on c.code = i.currency
     where ${issued}
     group by i.currency, c.minor_units
     order by sum(i.amount_minor) desc, i.currency`.execute(tx);
  const byVendor = await sql<TotalRow & { vendor_id: string; vendor: string }>`
    select v.id as vendor_id, v.name as vendor, i.currency, c.minor_units, count(*)::text as count, sum(i.amount_minor)::text as total
      from invoices i
      join vendors v on v.org_id = i.org_id and v.id = i.vendor_id
      join currencies c on c.code = i.currency
     where ${issued}
     group by v.id, v.name, i.currency, c.minor_units
     order by i.currency, sum(i.amount_minor) desc, v.name`.execute(tx);
  const byCategory = await sql<TotalRow & { category: string }>`
    select i.category, i.currency, c.minor_units, count(*)::text as count, sum(i.amount_minor)::text as total
      from invoices i join currencies c on c.code = i.currency
     where ${issued}
     group by i.category, i.currency, c.minor_units
     order by i.currency, sum(i.amount_minor) desc, i.category`.execute(tx);
  const approvals = await sql<{
    approved: string;
    rejected: string;
    median_hours: string | null;
    average_hours: string | null;
  }>`
    select count(*) filter (where i.status in ${SPENT})::text as approved,
           count(*) filter (where i.status = 'rejected')::text as rejected,
           (percentile_cont(0.5) within group (order by extract(epoch from i.decided_at - i.submitted_at) / 3600)
              filter (where i.status in ${SPENT}))::text as median_hours,
           (avg(extract(epoch from i.decided_at - i.submitted_at) / 3600) filter (where i.status in ${SPENT}))::text as average_hours
      from invoices i
     where i.org_id = ${orgId}
       and i.decided_at >= (${month}::date)::timestamp at time zone 'UTC'
       and i.decided_at < (${month}::date + interval '1 month')::timestamp at time zone 'UTC'`.execute(tx);
  const a = approvals.rows[0];
  return {
    byCurrency: byCurrency.rows.map(toTotal),
    byVendor: byVendor.rows.map((r) => ({ ...toTotal(r), vendorId: r.vendor_id, vendor: r.vendor })),
    byCategory: byCategory.rows.map((r) => ({ ...toTotal(r), category: r.category })),
    approvals: {
      approved: Number(a?.approved ?? 0),
      rejected: Number(a?.rejected ?? 0),
      medianHours: round1(a?.median_hours ?? null),
      averageHours: round1(a?.average_hours ?? null),
    },
  };
}

/** One report per org and month: building a month again replaces it. */
export async function upsertReport(tx: Tx, orgId: string, month: string, data: MonthlyReportData): Promise<void> {
  await tx
    .insertInto('monthly_reports')
    .values({ org_id: orgId, month, data: JSON.stringify(data) })
    .onConflict((oc) =>
      oc
        .columns(['org_id', 'month'])
        .doUpdateSet({ data: (eb) => eb.ref('excluded.data'), generated_at: sql<Date>`now()` }),
    )
    .execute();
}

export function listReports(tx: Tx, orgId: string) {
  return tx
    .selectFrom('monthly_reports')
    .select(['month', 'generated_at'])
    .where('org_id', '=', orgId)
    .orderBy('month', 'desc')
    .limit(120)
    .execute();
}

export function report(tx: Tx, orgId: string, month: string) {
  return tx
    .selectFrom('monthly_reports')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export async function defaultCurrency(tx: Tx, orgId: string): Promise<string> {
  return (
    await tx.selectFrom('organizations').select('default_currency').where('id', '=', orgId).executeTakeFirstOrThrow()
  ).default_currency;
}

/** Every org's id (a security-definer function: the scheduled run belongs to no org). */
export async function allOrgIds(tx: Tx): Promise<string[]> {
  return (await sql<{ id: string }>`select id from all_org_ids() as id`.execute(tx)).rows.map((r) => r.id);
}
