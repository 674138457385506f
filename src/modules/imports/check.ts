// The dry run: reads the whole file, validates every row against the same rules the import
// uses, and records each bad row with its line and reason. It writes no vendor or invoice.
import { stat } from 'node:fs/promises';
import { sql } from 'kysely';
import { recordAudit, SYSTEM_ACTOR } from '../../core/audit/audit.ts';
import { IMPORT_AUDIT } from './audit.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { Import, ImportRejectionsTable } from '../../core/db/schema.ts';
import type { TaskContext } from '../../core/tasks/tasks.ts';
import { importFilePath } from './files.ts';
import * as q from './queries.ts';
import { importStopped } from './statuses.ts';
import { FileProblem, readCsv, sniff } from './reader.ts';
import { checkInvoice, checkVendor, readHeader, type Lookups } from './rows.ts';

export const BATCH_ROWS = 1000;

/**
 * `stage` is what "Try again" runs; null for a problem of the file itself, which a new upload fixes.
 * Only an import a run works on can fail: one already failed (stopped by staff) keeps its reason.
 */
export async function markFailed(
  tx: Tx,
  imp: Pick<Import, 'org_id' | 'id'>,
  stage: 'check' | 'apply' | null,
  error: string,
  /** Whoever stopped it records their own entry (import.cancelled); a failure of the run is recorded here. */
  opts: { audit: boolean } = { audit: true },
): Promise<void> {
  const r = await tx
    .updateTable('imports')
    .set({ status: 'failed', failed_stage: stage, error: error.slice(0, 2000), updated_at: sql<Date>`now()` })
    .where('org_id', '=', imp.org_id)
    .where('id', '=', imp.id)
    .where('status', 'in', ['checking', 'importing'])
    .executeTakeFirst();
  if (opts.audit && r.numUpdatedRows > 0n)
    await recordAudit(tx, {
      orgId: imp.org_id,
      actor: SYSTEM_ACTOR,
      action: IMPORT_AUDIT.failed,
      target: { type: 'import', id: imp.id },
      changes: { stage: stage ?? 'file', error: error.slice(0, 500) },
    });
}

async function fileOf(uploadDir: string, imp: Import): Promise<string> {
  const file = importFilePath(uploadDir, imp.file_key);
  try {
    await stat(file);
  } catch {
    throw new FileProblem('The uploaded file is no longer on the server. Upload it again.');
  }
  return file;
}

/** Sniffs, then yields the header's column index and each row checked (shared by check and import). */
export async function* checkedRows(
  uploadDir: string,
  imp: Import,
  lookups: Omit<Lookups, 'delimiter'>,
  onBytes?: (n: number) => void,
) {
  const file = await fileOf(uploadDir, imp);
  const { encoding, delimiter } = await sniff(file, { encoding: imp.encoding, delimiter: imp.delimiter });
  const l: Lookups = { ...lookups, delimiter };
  let index: Map<string, number> | null = null;
  for await (const item of readCsv(file, { encoding, delimiter, onBytes })) {
    if (item.type === 'header') {
      const h = readHeader(imp.kind, item.fields);
      if (!h.ok) throw new FileProblem(h.problem);
      index = h.index;
      yield { type: 'start' as const, encoding, delimiter, header: item.fields };
      continue;
    }
    if (item.type === 'bad') {
      yield { type: 'bad' as const, line: item.line, reason: item.reason, raw: item.raw, fields: item.fields };
      continue;
    }
    const fields = item.fields;
    const r = imp.kind === 'invoices' ? checkInvoice(index!, fields, l) : checkVendor(index!, fields, l);
    if (r.ok) yield { type: 'valid' as const, line: item.line, key: r.key, row: r.row, raw: item.raw, fields };
    else yield { type: 'bad' as const, line: item.line, reason: r.reason, raw: item.raw, fields };
  }
  if (!index)
    throw new FileProblem('This file is empty. Export the sheet again with its header row and at least one row.');
}

type Pending = { line: number; key: string; raw: string; fields: string[] };

export async function runCheck(ctx: TaskContext, orgId: string, importId: string): Promise<Record<string, unknown>> {
  const imp = await ctx.transaction((tx) => q.importById(tx, orgId, importId));
  if (!imp || imp.status !== 'checking') return { skipped: true };
  const lookups = await ctx.transaction(async (tx) => {
    await tx.deleteFrom('import_rejections').where('org_id', '=', orgId).where('import_id', '=', importId).execute();
    return {
      currencies: await q.currencyUnits(tx),
      vendors: imp.kind === 'invoices' ? await q.vendorsByTaxId(tx, orgId) : new Map<string, string>(),
    };
  });
  const size = Number(imp.file_size);
  let bytes = 0;
  let total = 0;
  let rejected = 0;
  const seen = new Set<string>();
  let pending: Pending[] = [];
  let rejections: ImportRejectionsTable[] = [];
  let start: { encoding: string; delimiter: string; header: string[] } | null = null;

  const reject = (line: number, reason: string, raw: string, fields: string[] | null) => {
    rejected += 1;
    rejections.push({ org_id: orgId, import_id: importId, line, reason, raw, fields });
  };
  const flush = async () => {
    const existing = await ctx.transaction((tx) =>
      q.existingKeys(
        tx,
        orgId,
        imp.kind,
        pending.map((p) => p.key),
      ),
    );
    for (const p of pending) {
      if (existing.has(p.key))
        reject(
          p.line,
          imp.kind === 'invoices'
            ? 'This invoice already exists (same vendor and number).'
            : 'A vendor with this tax id already exists.',
          p.raw,
          p.fields,
        );
    }
    pending = [];
    if (rejections.length) {
      const batch = rejections;
      rejections = [];
      await ctx.transaction((tx) =>
        tx
          .insertInto('import_rejections')
          .values(batch)
          .onConflict((oc) => oc.doNothing())
          .execute(),
      );
    }
    await ctx.progress(Math.min(bytes, size), size);
  };

  try {
    for await (const item of checkedRows(ctx.settings.uploadDir, imp, lookups, (n) => (bytes += n))) {
      if (item.type === 'start') {
        start = item;
        continue;
      }
      total += 1;
      if (item.type === 'bad') reject(item.line, item.reason, item.raw, item.fields);
      else if (seen.has(item.key))
        reject(
          item.line,
          imp.kind === 'invoices'
            ? 'This invoice is in the file twice (same vendor and number); the first one is kept.'
            : 'This tax id is in the file twice; the first one is kept.',
          item.raw,
          item.fields,
        );
      else {
        seen.add(item.key);
        pending.push({ line: item.line, key: item.key, raw: item.raw, fields: item.fields });
      }
      if (pending.length + rejections.length >= BATCH_ROWS) await flush();
    }
    await flush();
    if (total === 0) throw new FileProblem('This file has a header row but no rows to import.');
  } catch (err) {
    if (!(err instanceof FileProblem)) throw err;
    await ctx.transaction(async (tx) => {
      await tx.deleteFrom('import_rejections').where('org_id', '=', orgId).where('import_id', '=', importId).execute();
      await markFailed(tx, imp, null, err.message);
    });
    return { failed: err.message };
  }
  const counts = { total_rows: total, valid_rows: total - rejected, rejected_rows: rejected };
  const checked = await ctx.transaction((tx) =>
    tx
      .updateTable('imports')
      .set({
        ...counts,
        status: 'checked',
        encoding: start!.encoding as Import['encoding'],
        delimiter: start!.delimiter as Import['delimiter'],
        header: start!.header,
        checked_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', importId)
      .where('status', '=', 'checking')
      .executeTakeFirst(),
  );
  if (checked.numUpdatedRows === 0n) throw importStopped();
  return counts;
}
