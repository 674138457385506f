// Payout queries, always scoped by org. Every sum of money is computed by PostgreSQL on the
// bigint columns (returned as exact strings), never added up in JavaScript.
import { sql, type Updateable } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { PayoutsTable } from '../../core/db/schema.ts';
import type { PayoutStatus } from './statuses.ts';

/** The list page: newest first, with the total and the approvals of each payout. */
export function payouts(tx: Tx, orgId: string) {
  return tx
    .selectFrom('payouts as p')
    .innerJoin('currencies as c', 'c.code', 'p.currency')
    .leftJoin('users as u', 'u.id', 'p.created_by')
    .select([
      'p.id',
      'p.reference',
      'p.status',
      'p.currency',
      'c.minor_units',
      'p.approvals_required',
      'p.created_at',
      'u.name as created_by_name',
      sql<string>`(select coalesce(sum(i.amount_minor), 0)::text from invoices i where i.org_id = p.org_id and i.payout_id = p.id)`.as(
        'total_minor',
      ),
      sql<number>`(select count(*)::int from invoices i where i.org_id = p.org_id and i.payout_id = p.id)`.as(
        'invoice_count',
      ),
      sql<number>`(select count(*)::int from payout_approvals a where a.org_id = p.org_id and a.payout_id = p.id)`.as(
        'approval_count',
      ),
    ])
    .where('p.org_id', '=', orgId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(200)
    .execute();
}

/** Approved invoices that are in no payout yet, per currency. */
export function approvedUnscheduledTotals(tx: Tx, orgId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .select([
      'i.currency',
      'c.minor_units',
      sql<string>`sum(i.amount_minor)::text`.as('total_minor'),
      sql<number>`count(*)::int`.as('invoice_count'),
    ])
    .where('i.org_id', '=', orgId)
    .where('i.status', '=', 'approved')
    .groupBy(['i.currency', 'c.minor_units'])
    .orderBy('i.currency')
    .execute();
}

/** Approved, unscheduled invoices of one currency, with per-vendor and overall totals. */
export function candidateInvoices(tx: Tx, orgId: string, currency: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .select([
      'i.id',
      'i.number',
      'i.due_date',
      'i.amount_minor',
      'v.id as vendor_id',
      'v.name as vendor_name',
      sql<string>`(sum(i.amount_minor) over (partition by i.vendor_id))::text`.as('vendor_total_minor'),
      sql<string>`(sum(i.amount_minor) over ())::text`.as('overall_total_minor'),
    ])
    .where('i.org_id', '=', orgId)
    .where('i.status', '=', 'approved')
    .where('i.currency', '=', currency)
    .orderBy('v.name')
    .orderBy('v.id')
    .orderBy('i.due_date')
    .orderBy('i.number')
    .limit(1000)
    .execute();
}

/** What the chosen invoices add up to, per currency and status, for checking a new payout. */
export function chosenSummary(tx: Tx, orgId: string, ids: readonly string[]) {
  return tx
    .selectFrom('invoices')
    .select([
      'currency',
      sql<boolean>`status = 'approved' and payout_id is null`.as('available'),
      sql<string>`sum(amount_minor)::text`.as('total_minor'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .groupBy(['currency', sql`status = 'approved' and payout_id is null`])
    .execute();
}

export function currency(tx: Tx, code: string) {
  return tx.selectFrom('currencies').selectAll().where('code', '=', code).executeTakeFirst();
}

export function orgFinance(tx: Tx, orgId: string) {
  return tx
    .selectFrom('organizations as o')
    .innerJoin('currencies as c', 'c.code', 'o.default_currency')
    .select([
      'o.name',
      'o.default_currency',
      'c.minor_units as default_minor_units',
      'o.approval_threshold_minor',
      'o.bank_account_name',
      'o.bank_iban',
      'o.bank_bic',
    ])
    .where('o.id', '=', orgId)
    .executeTakeFirstOrThrow();
}

export async function insertPayout(
  tx: Tx,
  p: { orgId: string; reference: string; currency: string; approvalsRequired: number; createdBy: string },
) {
  return tx
    .insertInto('payouts')
    .values({
      org_id: p.orgId,
      reference: p.reference,
      currency: p.currency,
      approvals_required: p.approvalsRequired,
      created_by: p.createdBy,
    })
    .onConflict((oc) => oc.columns(['org_id', 'reference']).doNothing())
    .returning(['id', 'reference'])
    .executeTakeFirst();
}

export function payout(tx: Tx, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = tx
    .selectFrom('payouts as p')
    .innerJoin('currencies as c', 'c.code', 'p.currency')
    .leftJoin('users as cu', 'cu.id', 'p.created_by')
    .leftJoin('users as pu', 'pu.id', 'p.paid_by')
    .leftJoin('users as xu', 'xu.id', 'p.cancelled_by')
    .selectAll('p')
    .select(['c.minor_units', 'cu.name as created_by_name', 'pu.name as paid_by_name', 'xu.name as cancelled_by_name'])
    .where('p.org_id', '=', orgId)
    .where('p.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate('p');
  return q.executeTakeFirst();
}

/** One line per vendor: the amount to transfer and the invoices it settles. */
export function vendorLines(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .select([
      'v.id as vendor_id',
      'v.name as vendor_name',
      'v.tax_id',
      'v.iban',
      'v.bic',
      'v.account_number',
      sql<string>`sum(i.amount_minor)::text`.as('total_minor'),
      sql<number>`count(*)::int`.as('invoice_count'),
      sql<string[]>`array_agg(i.number order by i.number)`.as('invoice_numbers'),
    ])
    .where('i.org_id', '=', orgId)
    .where('i.payout_id', '=', payoutId)
    .groupBy(['v.id', 'v.name', 'v.tax_id', 'v.iban', 'v.bic', 'v.account_number'])
    .orderBy('v.name')
    .orderBy('v.id')
    .execute();
}

export function payoutTotal(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('invoices')
    .select([sql<string>`coalesce(sum(amount_minor), 0)::text`.as('total_minor'), sql<number>`count(*)::int`.as('n')])
    .where('org_id', '=', orgId)
    .where('payout_id', '=', payoutId)
    .executeTakeFirstOrThrow();
}

export function payoutInvoices(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('invoices')
    .select(['id', 'vendor_id', 'number', 'due_date', 'amount_minor', 'status'])
    .where('org_id', '=', orgId)
    .where('payout_id', '=', payoutId)
    .orderBy('number')
    .execute();
}

export function approvals(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('payout_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.approver_id')
    .select(['a.approver_id', 'u.name as approver_name', 'a.created_at'])
    .where('a.org_id', '=', orgId)
    .where('a.payout_id', '=', payoutId)
    .orderBy('a.created_at')
    .execute();
}

export function insertApproval(tx: Tx, orgId: string, payoutId: string, approverId: string) {
  return tx
    .insertInto('payout_approvals')
    .values({ org_id: orgId, payout_id: payoutId, approver_id: approverId })
    .onConflict((oc) => oc.columns(['org_id', 'payout_id', 'approver_id']).doNothing())
    .returning('approver_id')
    .executeTakeFirst();
}

export function history(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('payout_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.note', 'h.created_at', 'u.name as actor_name'])
    .where('h.org_id', '=', orgId)
    .where('h.payout_id', '=', payoutId)
    .orderBy('h.id')
    .execute();
}

export async function markExported(tx: Tx, orgId: string, payoutId: string) {
  await tx
    .updateTable('payouts')
    .set({ exported_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', payoutId)
    .execute();
}

export async function setBankAccount(
  tx: Tx,
  orgId: string,
  bank: { bank_account_name: string; bank_iban: string; bank_bic: string | null },
) {
  await tx
    .updateTable('organizations')
    .set({ ...bank, updated_at: sql<Date>`now()` })
    .where('id', '=', orgId)
    .execute();
}

/**
 * Moves a payout from the state the caller saw to the next, as a conditional update, and
 * records who did it; null when someone else moved it first. The database refuses any move
 * that is not in payout_transitions.
 */
export async function transitionPayout(
  tx: Tx,
  t: {
    orgId: string;
    payoutId: string;
    from: PayoutStatus | null;
    to: PayoutStatus;
    actorId: string;
    note?: string | null;
    set?: Updateable<PayoutsTable>;
  },
): Promise<boolean> {
  if (t.from !== null) {
    const moved = await tx
      .updateTable('payouts')
      .set({ ...t.set, status: t.to, updated_at: sql<Date>`now()` })
      .where('org_id', '=', t.orgId)
      .where('id', '=', t.payoutId)
      .where('status', '=', t.from)
      .returning('id')
      .executeTakeFirst();
    if (!moved) return false;
  }
  await tx
    .insertInto('payout_status_history')
    .values({
      org_id: t.orgId,
      payout_id: t.payoutId,
      from_status: t.from,
      to_status: t.to,
      actor_id: t.actorId,
      note: t.note ?? null,
    })
    .execute();
  return true;
}
