// The import: re-reads the checked file, skips the rejected lines, and inserts the rest in
// batches with ON CONFLICT DO NOTHING on the natural keys. In "valid rows" mode each batch
// commits with the import's counters, so a retry after a crash resumes after the last
// committed batch; "all or nothing" runs in one transaction. Either way a re-run cannot
// duplicate a row.
import { sql, type RawBuilder } from 'kysely';
import { recordAudit } from '../../core/audit/audit.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { Import } from '../../core/db/schema.ts';
import type { TaskContext } from '../../core/tasks/tasks.ts';
import { BATCH_ROWS, checkedRows } from './check.ts';
import * as q from './queries.ts';
import { importStopped } from './statuses.ts';
import type { InvoiceRow, VendorRow } from './rows.ts';
import { IMPORT_AUDIT } from './audit.ts';

let batchDelayMs = 0;

/** Slows every batch down (the crash test needs time to kill a worker mid-import). */
export function setImportBatchDelay(ms: number): void {
  batchDelayMs = ms;
}

type Row = InvoiceRow | VendorRow;

async function insertBatch(tx: Tx, imp: Import, userId: string, rows: Row[]): Promise<number> {
  if (imp.kind === 'invoices') {
    const r = rows as InvoiceRow[];
    const res = await sql<{ id: string }>`
      insert into invoices (org_id, vendor_id, number, issue_date, due_date, amount_minor, currency, category, description, created_by)
      select ${imp.org_id}::uuid, v, n, i, d, a, c, cat, descr, ${userId}::uuid
        from unnest(${r.map((x) => x.vendor_id)}::uuid[], ${r.map((x) => x.number)}::text[], ${r.map((x) => x.issue_date)}::date[],
                    ${r.map((x) => x.due_date)}::date[], ${r.map((x) => x.amount_minor)}::bigint[], ${r.map((x) => x.currency)}::text[],
                    ${r.map((x) => x.category)}::text[], ${r.map((x) => x.description)}::text[]) as t(v, n, i, d, a, c, cat, descr)
      on conflict (org_id, vendor_id, upper(number)) do nothing
      returning id`.execute(tx);
    return res.rows.length;
  }
  const r = rows as VendorRow[];
  const res = await sql<{ id: string }>`
    insert into vendors (org_id, name, tax_id, iban, bic, account_number, default_currency, email)
    select ${imp.org_id}::uuid, n, t, i, b, a, c, e
      from unnest(${r.map((x) => x.name)}::text[], ${r.map((x) => x.tax_id)}::text[], ${r.map((x) => x.iban)}::text[], ${r.map((x) => x.bic)}::text[],
                  ${r.map((x) => x.account_number)}::text[], ${r.map((x) => x.default_currency)}::text[], ${r.map((x) => x.email)}::text[]) as u(n, t, i, b, a, c, e)
    on conflict (org_id, tax_id_normalized) do nothing
    returning id`.execute(tx);
  return res.rows.length;
}

export async function runApply(
  ctx: TaskContext,
  orgId: string,
  importId: string,
  userId: string,
): Promise<Record<string, unknown>> {
  const imp = await ctx.transaction((tx) => q.importById(tx, orgId, importId));
  if (!imp || imp.status !== 'importing') return { skipped: true };
  const allOrNothing = imp.mode === 'all_or_nothing';
  const { rejected, lookups } = await ctx.transaction(async (tx) => ({
    rejected: await q.rejectedLines(tx, orgId, importId),
    lookups: {
      currencies: await q.currencyUnits(tx),
      vendors: imp.kind === 'invoices' ? await q.vendorsByTaxId(tx, orgId) : new Map<string, string>(),
    },
  }));
  // One transaction for all or nothing (a crash rolls it all back, the retry starts over);
  // otherwise one per batch, resuming after the batches already committed.
  const resumeAt = allOrNothing ? 0 : imp.applied_rows;
  const totals = {
    created: allOrNothing ? 0 : imp.created_rows,
    skipped: allOrNothing ? 0 : imp.skipped_existing,
    applied: resumeAt,
  };

  /** Writes the counters to an import that is still importing; one stopped by staff ends the run (TaskCancelled). */
  const setCounters = async (tx: Tx, more: { status?: 'imported'; imported_at?: RawBuilder<Date> }) => {
    const r = await tx
      .updateTable('imports')
      .set({
        created_rows: totals.created,
        skipped_existing: totals.skipped,
        applied_rows: totals.applied,
        updated_at: sql<Date>`now()`,
        ...more,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', importId)
      .where('status', '=', 'importing')
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw importStopped();
  };

  const work = async (outer: Tx | null) => {
    let index = 0;
    let batch: Row[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      if (batchDelayMs) await new Promise((r) => setTimeout(r, batchDelayMs));
      const write = async (tx: Tx) => {
        const created = await insertBatch(tx, imp, userId, rows);
        totals.created += created;
        totals.skipped += rows.length - created;
        totals.applied += rows.length;
        if (!outer) {
          // Still importing (staff may have stopped it): else this batch rolls back and the run ends.
          await setCounters(tx, {});
          // Committed with the batch: its rows are in the database from now on, whatever follows.
          await recordAudit(tx, {
            orgId,
            actor: { userId },
            action: IMPORT_AUDIT.batch_applied,
            target: { type: 'import', id: importId },
            changes: { rows: rows.length, created, applied: totals.applied, of: imp.valid_rows },
          });
        }
      };
      if (outer) await write(outer);
      else await ctx.transaction(write);
      await ctx.progress(totals.applied, imp.valid_rows);
    };
    await ctx.progress(totals.applied, imp.valid_rows);
    for await (const item of checkedRows(ctx.settings.uploadDir, imp, lookups)) {
      if (item.type === 'start' || rejected.has(item.line)) continue;
      if (item.type === 'bad')
        throw new Error(
          `Line ${item.line} passed the check but fails now (${item.reason}) — vendors or currencies changed since. Upload the file again to check it anew.`,
        );
      index += 1;
      if (index <= resumeAt) continue;
      batch.push(item.row);
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
    const done = async (tx: Tx) => {
      // Stopped by staff: all or nothing rolls the whole import back.
      await setCounters(tx, { status: 'imported', imported_at: sql<Date>`now()` });
      await recordAudit(tx, {
        orgId,
        actor: { userId },
        action: IMPORT_AUDIT.completed,
        target: { type: 'import', id: importId },
        changes: {
          kind: imp.kind,
          file: imp.file_name,
          mode: imp.mode,
          rows: imp.total_rows,
          rejected: imp.rejected_rows,
          created: totals.created,
          skipped_existing: totals.skipped,
        },
      });
    };
    if (outer) await done(outer);
    else await ctx.transaction(done);
  };

  if (allOrNothing) await ctx.transaction((tx) => work(tx));
  else await work(null);
  return { created: totals.created, skipped_existing: totals.skipped };
}
