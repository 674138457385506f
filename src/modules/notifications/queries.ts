// Queries of the notifications module. Facts about invoices and payouts are read in the
// org's transaction (row-level security scopes them); preferences of the org's members too.
import type { Tx } from '../../core/db/pool.ts';
import type { NotificationDelivery, NotificationKind, Role } from '../../core/db/schema.ts';

export function orgSlug(tx: Tx, orgId: string) {
  return tx.selectFrom('organizations').select(['slug', 'name']).where('id', '=', orgId).executeTakeFirstOrThrow();
}

export function invoiceFacts(tx: Tx, orgId: string, invoiceId: string) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .select([
      'i.id',
      'i.number',
      'i.status',
      'i.submitted_by',
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

export async function invoiceApproverIds(tx: Tx, orgId: string, invoiceId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('invoice_approvals')
    .select('approver_id')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .execute();
  return rows.map((r) => r.approver_id);
}

export async function memberIdsWithRoles(tx: Tx, orgId: string, roles: readonly Role[]): Promise<string[]> {
  const rows = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', 'in', roles)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export function payoutFacts(tx: Tx, orgId: string, payoutId: string) {
  return tx
    .selectFrom('payouts as p')
    .innerJoin('currencies as c', 'c.code', 'p.currency')
    .select((eb) => [
      'p.id',
      'p.reference',
      'p.status',
      'p.created_by',
      'p.currency',
      'c.minor_units',
      'p.bank_reference',
      eb
        .selectFrom('invoices as i')
        .select((e) => e.fn.coalesce(e.fn.sum<string>('i.amount_minor'), e.val('0')).as('t'))
        .whereRef('i.org_id', '=', 'p.org_id')
        .whereRef('i.payout_id', '=', 'p.id')
        .as('total_minor'),
    ])
    .where('p.org_id', '=', orgId)
    .where('p.id', '=', payoutId)
    .executeTakeFirst();
}

export async function payoutSubmitterIds(tx: Tx, orgId: string, payoutId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('invoices')
    .select('submitted_by')
    .distinct()
    .where('org_id', '=', orgId)
    .where('payout_id', '=', payoutId)
    .where('submitted_by', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.submitted_by ? [r.submitted_by] : []));
}

export function usersByIds(tx: Tx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.selectFrom('users').select(['id', 'email', 'name', 'is_active']).where('id', 'in', ids).execute();
}

export async function deliveriesOf(tx: Tx, userIds: string[]): Promise<Map<string, NotificationDelivery>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('notification_preferences')
    .select(['user_id', 'kind', 'delivery'])
    .where('user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [`${r.user_id}:${r.kind}`, r.delivery]));
}

export async function insertDigestItem(
  tx: Tx,
  item: {
    orgId: string;
    userId: string;
    kind: NotificationKind;
    dedupeKey: string;
    subject: string;
    body: string;
    link: string;
  },
): Promise<boolean> {
  const row = await tx
    .insertInto('notification_queue')
    .values({
      org_id: item.orgId,
      user_id: item.userId,
      kind: item.kind,
      dedupe_key: item.dedupeKey,
      subject: item.subject,
      body: item.body,
      link: item.link,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}
