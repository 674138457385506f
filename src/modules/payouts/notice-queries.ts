// What the payout notices read: the payout's facts and who hears of it, scoped by org.
import type { Tx } from '../../core/db/pool.ts';

/** What a notice about the payout says: reference, status, creator, total and bank reference. */
export function noticeFacts(tx: Tx, orgId: string, payoutId: string) {
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

/** Who submitted the payout's invoices: they hear when it is paid. */
export async function submitterIds(tx: Tx, orgId: string, payoutId: string): Promise<string[]> {
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
