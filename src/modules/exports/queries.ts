// The exports table, and the org's audit log read in keyset batches for its export.
import { sql } from 'kysely';
import type { JsonValue } from '../../core/db/generated.ts';
import type { Tx } from '../../core/db/pool.ts';
import { readExportFilters, type ExportFilters } from './filters.ts';
import type { ExportKind, ExportStatus } from './kinds.ts';
import { auditEntriesWithPeople, withAuditChanges } from '../../core/audit/audit.ts';
import { countRows } from '../../core/db/count.ts';

export async function insertExport(
  tx: Tx,
  e: {
    orgId: string;
    kind: ExportKind;
    filters: ExportFilters;
    status: ExportStatus;
    rowCount: number | null;
    createdBy: string;
  },
): Promise<string> {
  const r = await tx
    .insertInto('exports')
    .values({
      org_id: e.orgId,
      kind: e.kind,
      filters: JSON.stringify(e.filters),
      status: e.status,
      row_count: e.rowCount,
      created_by: e.createdBy,
      finished_at: e.status === 'streamed' ? sql<Date>`now()` : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function setRunId(tx: Tx, orgId: string, id: string, runId: string): Promise<void> {
  await tx.updateTable('exports').set({ run_id: runId }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Exports with who made them and how their run is doing. */
function exportsWithRun(tx: Tx, orgId: string) {
  return tx
    .selectFrom('exports as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .leftJoin('task_runs as r', 'r.id', 'e.run_id')
    .selectAll('e')
    .select([
      'u.name as created_by_name',
      'r.status as run_status',
      'r.progress_done',
      'r.progress_total',
      'r.error as run_error',
      sql<boolean>`e.expires_at is not null and e.expires_at <= now()`.as('is_expired'),
    ])
    .where('e.org_id', '=', orgId);
}

/** Export rows with their stored filters read (readExportFilters: null when unreadable). */
function withFilters<R extends { filters: JsonValue }>(rows: R[]): (R & { filters: ExportFilters | null })[] {
  return rows.map((r) => ({ ...r, filters: readExportFilters(r.filters) }));
}

export async function exportById(tx: Tx, orgId: string, id: string) {
  return withFilters(await exportsWithRun(tx, orgId).where('e.id', '=', id).execute())[0];
}

export type ExportRow = NonNullable<Awaited<ReturnType<typeof exportById>>>;

export async function listExports(tx: Tx, orgId: string, kinds: readonly ExportKind[], limit: number) {
  if (kinds.length === 0) return [];
  return withFilters(
    await exportsWithRun(tx, orgId)
      .where('e.kind', 'in', kinds)
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute(),
  );
}

/** Where an export stands now (a build checks it between batches: staff may have cancelled it). */
export async function exportStatusOf(tx: Tx, orgId: string, id: string): Promise<string | undefined> {
  const r = await tx
    .selectFrom('exports')
    .select('status')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.status;
}

/** queued → running, once: a retried build finds it running and goes on. */
export async function markRunning(tx: Tx, orgId: string, id: string): Promise<void> {
  await tx
    .updateTable('exports')
    .set({ status: 'running' })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

export async function markReady(
  tx: Tx,
  orgId: string,
  id: string,
  f: { fileKey: string; rows: number; size: number; validHours: number },
): Promise<boolean> {
  const r = await tx
    .updateTable('exports')
    .set({
      status: 'ready',
      file_key: f.fileKey,
      row_count: f.rows,
      size_bytes: f.size,
      finished_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + make_interval(hours => ${f.validHours})`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * When an export's file was last downloaded, from the audit log's export.downloaded entries (a
 * download is a read: it records who took the file and changes nothing of the export).
 */
export const lastDownloadedAt = sql<Date | null>`(select max(d.created_at) from audit_log d
   where d.target_type = 'export' and d.target_id = e.id::text and d.org_id = e.org_id
     and d.action = 'export.downloaded')`;

/** ready → expired, its file forgotten (housekeeping deleted it). */
export async function markExpired(tx: Tx, orgId: string, id: string): Promise<boolean> {
  const r = await tx
    .updateTable('exports')
    .set({ status: 'expired', file_key: null })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'ready')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Every org's export files past their expiry (a security-definer function: housekeeping runs in no org). */
export async function expiredExportFiles(tx: Tx): Promise<{ org_id: string; id: string; file_key: string }[]> {
  return (
    await sql<{
      org_id: string;
      id: string;
      file_key: string;
    }>`select org_id, id, file_key from expired_export_files()`.execute(tx)
  ).rows;
}

export async function auditBatch(tx: Tx, orgId: string, opts: { afterId?: string; limit: number }) {
  let q = auditEntriesWithPeople(tx).where('a.org_id', '=', orgId).orderBy('a.id').limit(opts.limit);
  if (opts.afterId) q = q.where('a.id', '>', opts.afterId);
  return withAuditChanges(await q.execute());
}

export async function auditCount(tx: Tx, orgId: string): Promise<number> {
  return countRows(tx.selectFrom('audit_log').where('org_id', '=', orgId));
}
