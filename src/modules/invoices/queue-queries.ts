// The approval queue's SQL: filters, text search, keyset pagination and counts, shaped to use
// the indexes of migration 0003 at 100,000 invoices per organization.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { Database } from '../../core/db/schema.ts';
import type { InvoiceStatus } from './statuses.ts';
import { eligibleToApproveSql, type EligibleApprover } from './approval-policy.ts';
import { countRows } from '../../core/db/count.ts';

export type QueueSort = 'due' | '-due' | 'amount' | '-amount' | 'created' | '-created';

export type QueueFilter = {
  status?: InvoiceStatus;
  vendorId?: string;
  category?: string;
  /** Face value in major units of each invoice's own currency, as decimal strings. */
  minAmount?: string;
  maxAmount?: string;
  dueFrom?: string;
  dueTo?: string;
  /** Only what the viewer can approve now. */
  waitingForMe?: boolean;
  q?: string;
  /** Just these invoices (re-rendering rows after an action). */
  ids?: string[];
  /** Vendors whose name matches `q` (see vendorsMatching). */
  vendorIdsMatching?: string[];
};

/** `q` as an ILIKE pattern that matches it literally anywhere (its % and _ are text). */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export async function vendorsMatching(tx: Tx, orgId: string, q: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('vendors')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', 'ilike', likePattern(q))
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

type Eb = ExpressionBuilder<
  Database & { i: Database['invoices']; v: Database['vendors']; c: Database['currencies'] },
  'i' | 'v' | 'c'
>;

const SORTS: Record<QueueSort, { column: 'i.due_date' | 'i.amount_minor' | 'i.created_at'; dir: 'asc' | 'desc' }> = {
  due: { column: 'i.due_date', dir: 'asc' },
  '-due': { column: 'i.due_date', dir: 'desc' },
  amount: { column: 'i.amount_minor', dir: 'asc' },
  '-amount': { column: 'i.amount_minor', dir: 'desc' },
  created: { column: 'i.created_at', dir: 'asc' },
  '-created': { column: 'i.created_at', dir: 'desc' },
};

function baseQuery(tx: Tx, orgId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .where('i.org_id', '=', orgId);
}

function applyFilters(
  eb: Eb,
  f: QueueFilter,
  approver: EligibleApprover | null,
  opts: { withStatus: boolean },
): Expression<SqlBool> {
  const where: Expression<SqlBool>[] = [];
  if (opts.withStatus && f.status) where.push(eb('i.status', '=', f.status));
  if (f.ids) where.push(f.ids.length ? eb('i.id', 'in', f.ids) : sql<SqlBool>`false`);
  if (f.vendorId) where.push(eb('i.vendor_id', '=', f.vendorId));
  if (f.category) where.push(eb('i.category', '=', f.category as never));
  if (f.minAmount) where.push(sql<SqlBool>`i.amount_minor >= ${f.minAmount}::numeric * (10::numeric ^ c.minor_units)`);
  if (f.maxAmount) where.push(sql<SqlBool>`i.amount_minor <= ${f.maxAmount}::numeric * (10::numeric ^ c.minor_units)`);
  if (f.dueFrom) where.push(eb('i.due_date', '>=', f.dueFrom));
  if (f.dueTo) where.push(eb('i.due_date', '<=', f.dueTo));
  // "Waiting for me": the workflow's own approval rules, as SQL.
  if (f.waitingForMe) where.push(approver ? eligibleToApproveSql('i', approver) : sql<SqlBool>`false`);
  if (f.q) {
    // Number and description through the trigram index, OR the vendors whose name matched
    // (looked up first, passed as a list): two index scans the planner can combine.
    const like = likePattern(f.q);
    const text = sql<SqlBool>`(i.number || ' ' || i.description) ilike ${like}`;
    where.push(f.vendorIdsMatching?.length ? eb.or([text, eb('i.vendor_id', 'in', f.vendorIdsMatching)]) : text);
  }
  return eb.and(where);
}

export type Cursor = { value: string; id: string };

/** The page query as a builder (the bench EXPLAINs it); queuePage runs it. */
export function queueQuery(
  tx: Tx,
  orgId: string,
  f: QueueFilter,
  opts: { sort: QueueSort; after?: Cursor; limit: number; approver: EligibleApprover | null },
) {
  const { column, dir } = SORTS[opts.sort];
  let q = baseQuery(tx, orgId)
    .where((eb) => applyFilters(eb, f, opts.approver, { withStatus: true }))
    .select((eb) => [
      'i.id',
      'i.number',
      'i.status',
      'i.issue_date',
      'i.due_date',
      'i.amount_minor',
      'i.currency',
      'i.category',
      'i.description',
      'i.approvals_required',
      'i.submitted_by',
      'i.created_at',
      'c.minor_units',
      'v.id as vendor_id',
      'v.name as vendor_name',
      sql<boolean>`i.due_date < current_date and i.status not in ('paid', 'rejected')`.as('overdue'),
      eb
        .selectFrom('invoice_approvals as a')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('a.org_id', '=', 'i.org_id')
        .whereRef('a.invoice_id', '=', 'i.id')
        .as('approvals'),
      sql<string>`${sql.ref(column)}::text`.as('sort_value'),
    ])
    .orderBy(column, dir)
    .orderBy('i.id', dir)
    .limit(opts.limit);
  if (opts.after) {
    const after = opts.after;
    const type = sql.raw(column === 'i.due_date' ? 'date' : column === 'i.amount_minor' ? 'bigint' : 'timestamptz');
    q = q.where(
      sql<SqlBool>`(${sql.ref(column)}, i.id) ${sql.raw(dir === 'asc' ? '>' : '<')} (${after.value}::${type}, ${after.id}::uuid)`,
    );
  }
  return q;
}

export function queuePage(...args: Parameters<typeof queueQuery>) {
  return queueQuery(...args).execute();
}

/** The queue's invoices under `f` in id order after `afterId` (the primary key's order: keyset batches for exports). */
export function filteredInvoices(
  tx: Tx,
  orgId: string,
  f: QueueFilter,
  approver: EligibleApprover | null,
  opts: { afterId?: string; limit: number },
) {
  let q = baseQuery(tx, orgId)
    .where((eb) => applyFilters(eb, f, approver, { withStatus: true }))
    .select([
      'i.id',
      'i.number',
      'v.name as vendor_name',
      'v.tax_id as vendor_tax_id',
      'i.status',
      'i.issue_date',
      'i.due_date',
      'i.amount_minor',
      'i.currency',
      'c.minor_units',
      'i.category',
      'i.description',
      'i.approvals_required',
      'i.submitted_at',
      'i.decided_at',
      'i.paid_at',
      'i.created_at',
    ])
    .orderBy('i.id')
    .limit(opts.limit);
  if (opts.afterId) q = q.where('i.id', '>', opts.afterId);
  return q.execute();
}

export async function countFiltered(
  tx: Tx,
  orgId: string,
  f: QueueFilter,
  approver: EligibleApprover | null,
): Promise<number> {
  return countRows(baseQuery(tx, orgId).where((eb) => applyFilters(eb, f, approver, { withStatus: true })));
}

/**
 * Which of these invoices the approver may approve now. Asked for one page of ids at a time:
 * as a column of the page query, PostgreSQL would hash every approval the person ever gave.
 */
export async function eligibleAmong(
  tx: Tx,
  orgId: string,
  ids: string[],
  approver: EligibleApprover | null,
): Promise<Set<string>> {
  if (!approver || ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('invoices as i')
    .select('i.id')
    .where('i.org_id', '=', orgId)
    .where('i.id', 'in', ids)
    .where(eligibleToApproveSql('i', approver))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Invoices per status under the current filters (every status, so the tabs can show them). */
export async function statusCounts(
  tx: Tx,
  orgId: string,
  f: QueueFilter,
  approver: EligibleApprover | null,
): Promise<Record<string, number>> {
  const unfiltered =
    !f.vendorId &&
    !f.category &&
    !f.minAmount &&
    !f.maxAmount &&
    !f.dueFrom &&
    !f.dueTo &&
    !f.waitingForMe &&
    !f.q &&
    !f.ids;
  if (unfiltered) {
    // The whole org: the counts the invoices table's triggers keep (migration 0007).
    const kept = await tx
      .selectFrom('invoice_status_counts')
      .select(['status', 'n'])
      .where('org_id', '=', orgId)
      .execute();
    return Object.fromEntries(kept.map((r) => [r.status, Number(r.n)]));
  }
  // Only the amount filter needs the currency join (for minor units); without it the count is
  // an index-only scan of invoices_queue_due_idx.
  const needsCurrency = Boolean(f.minAmount || f.maxAmount);
  const from = needsCurrency ? baseQuery(tx, orgId) : tx.selectFrom('invoices as i').where('i.org_id', '=', orgId);
  const rows = await from
    .where((eb) => applyFilters(eb, f, approver, { withStatus: false }))
    .select(['i.status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('i.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export function vendorOptions(tx: Tx, orgId: string) {
  return tx
    .selectFrom('vendors')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .orderBy(sql`lower(name)`)
    .execute();
}
