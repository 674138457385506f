// Queries of the invoice workflow and its detail page, always scoped by org.
import type { Tx } from '../../core/db/pool.ts';
import type { FaceValue } from '../../core/money.ts';
import type { EligibleApprover } from './approval-policy.ts';

export function invoice(tx: Tx, orgId: string, invoiceId: string, opts: { forUpdate?: boolean } = {}) {
  let q = tx.selectFrom('invoices').selectAll().where('org_id', '=', orgId).where('id', '=', invoiceId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function minorUnitsOf(tx: Tx, currency: string): Promise<number> {
  const c = await tx
    .selectFrom('currencies')
    .select('minor_units')
    .where('code', '=', currency)
    .executeTakeFirstOrThrow();
  return c.minor_units;
}

/** The org's approval threshold, as a face value in its default currency. */
export async function approvalThreshold(tx: Tx, orgId: string): Promise<FaceValue> {
  const o = await tx
    .selectFrom('organizations as o')
    .innerJoin('currencies as c', 'c.code', 'o.default_currency')
    .select(['o.approval_threshold_minor', 'o.default_currency', 'c.minor_units'])
    .where('o.id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { minor: o.approval_threshold_minor, minorUnits: o.minor_units, currency: o.default_currency };
}

/** A member's current role and approval limit (limits are in the org's default currency); null for a non-member. */
export async function approver(
  tx: Tx,
  orgId: string,
  userId: string,
): Promise<(EligibleApprover & { limit: FaceValue | null }) | null> {
  const m = await tx
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .innerJoin('currencies as c', 'c.code', 'o.default_currency')
    .select(['m.role', 'm.approval_limit_minor', 'o.default_currency', 'c.minor_units'])
    .where('m.org_id', '=', orgId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  if (!m) return null;
  return {
    userId,
    role: m.role,
    limitMinor: m.approval_limit_minor,
    limitMinorUnits: m.minor_units,
    limitCurrency: m.default_currency,
    limit:
      m.approval_limit_minor === null
        ? null
        : { minor: m.approval_limit_minor, minorUnits: m.minor_units, currency: m.default_currency },
  };
}

export async function approverIds(tx: Tx, orgId: string, invoiceId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('invoice_approvals')
    .select('approver_id')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .execute();
  return rows.map((r) => r.approver_id);
}

/** An approval, with the limit it was checked against (the database checks it is the approver's current one). */
export async function insertApproval(
  tx: Tx,
  a: { orgId: string; invoiceId: string; approver: Pick<EligibleApprover, 'userId' | 'limitMinor' | 'limitCurrency'> },
): Promise<void> {
  await tx
    .insertInto('invoice_approvals')
    .values({
      org_id: a.orgId,
      invoice_id: a.invoiceId,
      approver_id: a.approver.userId,
      approval_limit_minor: a.approver.limitMinor,
      approval_limit_currency: a.approver.limitCurrency,
    })
    .execute();
}

export async function deleteApprovals(tx: Tx, orgId: string, invoiceId: string): Promise<number> {
  const r = await tx
    .deleteFrom('invoice_approvals')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertComment(
  tx: Tx,
  c: { orgId: string; invoiceId: string; authorId: string; body: string },
): Promise<string> {
  const r = await tx
    .insertInto('invoice_comments')
    .values({ org_id: c.orgId, invoice_id: c.invoiceId, author_id: c.authorId, body: c.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The move that put the invoice in its current state, and who made it (for "Ann approved this invoice a moment ago"). */
export function lastMove(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoice_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .select(['h.from_status', 'h.to_status', 'h.created_at', 'u.name as actor_name'])
    .where('h.org_id', '=', orgId)
    .where('h.invoice_id', '=', invoiceId)
    .orderBy('h.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function userName(tx: Tx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const u = await tx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
  return u?.name ?? null;
}

// The detail page.

export function invoiceWithVendor(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .leftJoin('payouts as p', (j) => j.onRef('p.org_id', '=', 'i.org_id').onRef('p.id', '=', 'i.payout_id'))
    .leftJoin('users as s', 's.id', 'i.submitted_by')
    .selectAll('i')
    .select([
      'v.name as vendor_name',
      'c.minor_units',
      'p.reference as payout_reference',
      's.name as submitted_by_name',
    ])
    .where('i.org_id', '=', orgId)
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
}

export function approvals(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoice_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.approver_id')
    .select(['a.approver_id', 'a.created_at', 'u.name as approver_name'])
    .where('a.org_id', '=', orgId)
    .where('a.invoice_id', '=', invoiceId)
    .orderBy('a.created_at')
    .execute();
}

export function statusHistory(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoice_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.note', 'h.created_at', 'u.name as actor_name'])
    .where('h.org_id', '=', orgId)
    .where('h.invoice_id', '=', invoiceId)
    .orderBy('h.id')
    .execute();
}

export function comments(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoice_comments as c')
    .leftJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.body', 'c.created_at', 'u.name as author_name'])
    .where('c.org_id', '=', orgId)
    .where('c.invoice_id', '=', invoiceId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

export function invoiceNumbers(tx: Tx, orgId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();
}

/** What a notice about the invoice says: its number, amount, vendor, status, creator, submitter and rejection reason. */
export function noticeFacts(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .select([
      'i.id',
      'i.number',
      'i.status',
      'i.submitted_by',
      'i.created_by',
      'i.amount_minor',
      'i.currency',
      'i.rejection_reason',
      'c.minor_units',
      'v.name as vendor_name',
    ])
    .where('i.org_id', '=', orgId)
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
}
