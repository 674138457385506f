import { sql } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { Import } from '../../core/db/schema.ts';

export function importById(
  tx: Tx,
  orgId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Import | undefined> {
  let q = tx.selectFrom('imports').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function recentImports(tx: Tx, orgId: string, limit = 50) {
  return tx
    .selectFrom('imports')
    .leftJoin('users', 'users.id', 'imports.created_by')
    .selectAll('imports')
    .select('users.name as created_by_name')
    .where('imports.org_id', '=', orgId)
    .orderBy('imports.created_at', 'desc')
    .limit(limit)
    .execute();
}

export function runById(tx: Tx, orgId: string, runId: string | null) {
  if (!runId) return Promise.resolve(undefined);
  return tx.selectFrom('task_runs').selectAll().where('org_id', '=', orgId).where('id', '=', runId).executeTakeFirst();
}

export function firstRejections(tx: Tx, orgId: string, importId: string, limit: number) {
  return tx
    .selectFrom('import_rejections')
    .select(['line', 'reason'])
    .where('org_id', '=', orgId)
    .where('import_id', '=', importId)
    .orderBy('line')
    .limit(limit)
    .execute();
}

export function rejectionsAfter(tx: Tx, orgId: string, importId: string, afterLine: number, limit: number) {
  return tx
    .selectFrom('import_rejections')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('import_id', '=', importId)
    .where('line', '>', afterLine)
    .orderBy('line')
    .limit(limit)
    .execute();
}

export async function rejectedLines(tx: Tx, orgId: string, importId: string): Promise<Set<number>> {
  const rows = await tx
    .selectFrom('import_rejections')
    .select('line')
    .where('org_id', '=', orgId)
    .where('import_id', '=', importId)
    .execute();
  return new Set(rows.map((r) => r.line));
}

export async function currencyUnits(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.selectFrom('currencies').select(['code', 'minor_units']).execute();
  return new Map(rows.map((r) => [r.code, r.minor_units]));
}

export async function vendorsByTaxId(tx: Tx, orgId: string): Promise<Map<string, string>> {
  const rows = await tx.selectFrom('vendors').select(['id', 'tax_id_normalized']).where('org_id', '=', orgId).execute();
  return new Map(rows.map((r) => [r.tax_id_normalized, r.id]));
}

/** Which of these natural keys ("vendor id|NUMBER" or a normalized tax id) the org already has. */
export async function existingKeys(
  tx: Tx,
  orgId: string,
  kind: 'vendors' | 'invoices',
  keys: string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  if (kind === 'vendors') {
    const rows = await tx
      .selectFrom('vendors')
      .select('tax_id_normalized')
      .where('org_id', '=', orgId)
      .where('tax_id_normalized', 'in', keys)
      .execute();
    return new Set(rows.map((r) => r.tax_id_normalized));
  }
  const vendorIds = keys.map((k) => k.slice(0, 36));
  const numbers = keys.map((k) => k.slice(37));
  const rows = await sql<{ key: string }>`
    select i.vendor_id || '|' || upper(i.number) as key
      from invoices i
      join unnest(${vendorIds}::uuid[], ${numbers}::text[]) as k(vendor_id, number)
        on i.vendor_id = k.vendor_id and upper(i.number) = k.number
     where i.org_id = ${orgId}`.execute(tx);
  return new Set(rows.rows.map((r) => r.key));
}
