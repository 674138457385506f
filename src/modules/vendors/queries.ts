import { sql, type Updateable } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { VendorsTable } from '../../core/db/schema.ts';
import { countRows } from '../../core/db/count.ts';

export function listVendors(tx: Tx, orgId: string, opts: { q: string; archived: boolean; limit: number }) {
  let q = tx
    .selectFrom('vendors as v')
    .select([
      'v.id',
      'v.name',
      'v.tax_id',
      'v.iban',
      'v.account_number',
      'v.default_currency',
      'v.archived_at',
      (eb) =>
        eb
          .selectFrom('invoices as i')
          .select((e) => e.fn.countAll<string>().as('n'))
          .where('i.org_id', '=', orgId)
          .whereRef('i.vendor_id', '=', 'v.id')
          .as('invoice_count'),
    ])
    .where('v.org_id', '=', orgId)
    .orderBy(sql`lower(v.name)`)
    .orderBy('v.id')
    .limit(opts.limit);
  if (!opts.archived) q = q.where('v.archived_at', 'is', null);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const taxLike = `%${opts.q.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}%`;
    q = q.where((eb) =>
      eb.or([eb('v.name', 'ilike', like), ...(taxLike === '%%' ? [] : [eb('v.tax_id_normalized', 'like', taxLike)])]),
    );
  }
  return q.execute();
}

export function vendor(tx: Tx, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = tx.selectFrom('vendors').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The vendor holding a tax id, compared the way the unique index compares (normalized). */
export function vendorByTaxId(tx: Tx, orgId: string, taxId: string) {
  return tx
    .selectFrom('vendors')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('tax_id_normalized', '=', sql<string>`upper(regexp_replace(${taxId}, '[^A-Za-z0-9]', '', 'g'))`)
    .executeTakeFirst();
}

export async function insertVendor(
  tx: Tx,
  v: Omit<VendorsTable, 'id' | 'tax_id_normalized' | 'archived_at' | 'created_at' | 'updated_at'>,
): Promise<string> {
  const r = await tx.insertInto('vendors').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateVendor(tx: Tx, orgId: string, id: string, set: Updateable<VendorsTable>): Promise<void> {
  await tx
    .updateTable('vendors')
    .set({ ...set, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** Archives or restores; false when the vendor already was in that state (a repeated click). */
export async function setArchived(tx: Tx, orgId: string, id: string, archived: boolean): Promise<boolean> {
  const r = await tx
    .updateTable('vendors')
    .set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('archived_at', archived ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function recentInvoices(tx: Tx, orgId: string, vendorId: string, limit: number) {
  return tx
    .selectFrom('invoices as i')
    .innerJoin('currencies as c', 'c.code', 'i.currency')
    .select([
      'i.id',
      'i.number',
      'i.issue_date',
      'i.due_date',
      'i.amount_minor',
      'i.currency',
      'c.minor_units',
      'i.status',
    ])
    .where('i.org_id', '=', orgId)
    .where('i.vendor_id', '=', vendorId)
    .orderBy('i.issue_date', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}

export async function invoiceCount(tx: Tx, orgId: string, vendorId: string): Promise<number> {
  return countRows(tx.selectFrom('invoices').where('org_id', '=', orgId).where('vendor_id', '=', vendorId));
}

export function currencies(tx: Tx) {
  return tx.selectFrom('currencies').selectAll().orderBy('code').execute();
}

/** Vendors a new invoice may name. */
export function activeVendors(tx: Tx, orgId: string) {
  return tx
    .selectFrom('vendors')
    .select(['id', 'name', 'default_currency', 'archived_at'])
    .where('org_id', '=', orgId)
    .where('archived_at', 'is', null)
    .orderBy(sql`lower(name)`)
    .execute();
}

export async function orgCurrency(tx: Tx, orgId: string): Promise<string> {
  return (
    await tx.selectFrom('organizations').select('default_currency').where('id', '=', orgId).executeTakeFirstOrThrow()
  ).default_currency;
}

export function vendorBatch(tx: Tx, orgId: string, opts: { afterId?: string; limit: number }) {
  let q = tx
    .selectFrom('vendors')
    .select([
      'id',
      'name',
      'tax_id',
      'iban',
      'account_number',
      'bic',
      'default_currency',
      'email',
      'archived_at',
      'created_at',
    ])
    .where('org_id', '=', orgId)
    .orderBy('id')
    .limit(opts.limit);
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  return q.execute();
}

export async function vendorCount(tx: Tx, orgId: string): Promise<number> {
  return countRows(tx.selectFrom('vendors').where('org_id', '=', orgId));
}
