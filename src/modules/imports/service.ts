// Imports: upload a CSV, let the check run, then import the valid rows or all of them.
// The work runs as tasks; this service starts them, each start audited and guarded by a
// conditional status change so two clicks start one run.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { Import } from '../../core/db/schema.ts';
import { IMPORT_DELIMITERS, IMPORT_ENCODINGS, IMPORT_KINDS, IMPORT_MODES } from './statuses.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { safeFileName } from '../../core/http/file-names.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { keepImportFile } from './files.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { applyImport, checkImport } from './tasks.ts';
import { MAX_CSV_BYTES, type CsvUpload } from './upload.ts';
import { IMPORT_AUDIT } from './audit.ts';
export { importPaths } from './paths.ts';

export { can as canImports } from './policy.ts';

export const uploadSchema = z.object({
  kind: z.enum(IMPORT_KINDS, 'Choose what the file holds: vendors or invoices.'),
  encoding: z.enum(IMPORT_ENCODINGS, 'Choose an encoding.').default('auto'),
  delimiter: z.enum(IMPORT_DELIMITERS, 'Choose a delimiter.').default('auto'),
});

export const applySchema = z.object({
  mode: z.enum(IMPORT_MODES, 'Choose how to import: the valid rows, or all or nothing.'),
});

async function importOrThrow(
  tx: Parameters<typeof q.importById>[0],
  orgId: string,
  id: string,
  forUpdate = false,
): Promise<Import> {
  const imp = await q.importById(tx, orgId, id, { forUpdate });
  if (!imp) throw new NotFoundError('That import does not exist.');
  return imp;
}

/** Keeps the uploaded file and starts its check. Permission first: a viewer learns nothing about the file. */
export async function uploadImport(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: z.infer<typeof uploadSchema>,
  upload: CsvUpload | null,
  uploadDir: string,
): Promise<{ id: string }> {
  authorize(org, 'import.run');
  if (!upload) throw new ValidationError({ file: 'Choose a CSV file to upload.' });
  if (upload.tooLarge || !upload.tmpPath)
    throw new ValidationError({
      file: `That file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
    });
  const key = await keepImportFile(uploadDir, org.id, upload.tmpPath);
  const name = safeFileName(upload.filename, { fallback: 'import.csv' });
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const row = await tx
      .insertInto('imports')
      .values({
        org_id: org.id,
        kind: input.kind,
        status: 'checking',
        file_key: key,
        file_name: name,
        file_size: upload.size,
        encoding: input.encoding,
        delimiter: input.delimiter,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runId = await enqueue(tx, checkImport, { importId: row.id }, { orgId: org.id, createdBy: actor.userId });
    await tx
      .updateTable('imports')
      .set({ check_run_id: runId })
      .where('org_id', '=', org.id)
      .where('id', '=', row.id)
      .execute();
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: IMPORT_AUDIT.uploaded,
      target: { type: 'import', id: row.id },
      changes: { kind: input.kind, file: name, size: upload.size },
    });
    return { id: row.id };
  });
}

export async function listImports(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'import.run');
  return withOrg(db, org.id, actor.userId, (tx) => q.recentImports(tx, org.id));
}

export const REJECTIONS_SHOWN = 200;

/**
 * An import as its page shows it. A run that failed for good (even one whose worker was
 * killed and never came back to say so) shows the import as failed, never as running.
 */
export async function importDetail(db: Db, actor: UserActor, org: OrgContext, id: string) {
  authorize(org, 'import.run');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const imp = await importOrThrow(tx, org.id, id);
    const run = await q.runById(tx, org.id, imp.status === 'importing' ? imp.apply_run_id : imp.check_run_id);
    const busy = imp.status === 'checking' || imp.status === 'importing';
    const runFailed = busy && run?.status === 'failed';
    const view = runFailed
      ? {
          ...imp,
          status: 'failed' as const,
          error: run.error ?? 'The background run failed.',
          failed_stage: imp.status === 'importing' ? ('apply' as const) : ('check' as const),
        }
      : imp;
    const rejections = imp.rejected_rows > 0 && !busy ? await q.firstRejections(tx, org.id, id, REJECTIONS_SHOWN) : [];
    return { imp: view, run: run ?? null, rejections };
  });
}

export async function startApply(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  mode: z.infer<typeof applySchema>['mode'],
): Promise<Import> {
  authorize(org, 'import.run');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const imp = await importOrThrow(tx, org.id, id, true);
    if (imp.status !== 'checked')
      throw new ConflictError(
        imp.status === 'imported'
          ? 'This file was already imported.'
          : 'This import is not ready: its check has not finished.',
      );
    if (mode === 'all_or_nothing' && imp.rejected_rows > 0)
      throw new ConflictError(
        `All or nothing was refused: ${imp.rejected_rows} ${imp.rejected_rows === 1 ? 'row has' : 'rows have'} problems. Fix them and upload the file again, or import the valid rows.`,
      );
    if (imp.valid_rows === 0) throw new ConflictError('There is no valid row to import.');
    const runId = await enqueue(
      tx,
      applyImport,
      { importId: id, userId: actor.userId },
      { orgId: org.id, createdBy: actor.userId },
    );
    await tx
      .updateTable('imports')
      .set({ status: 'importing', mode, apply_run_id: runId, updated_at: sql<Date>`now()` })
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: IMPORT_AUDIT.started,
      target: { type: 'import', id },
      changes: { mode, valid_rows: imp.valid_rows },
    });
    return imp;
  });
}

/** Runs the failed stage again (the check, or the import, which resumes after its committed batches). */
export async function retryImport(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
): Promise<{ stage: 'check' | 'apply' }> {
  const { imp } = await importDetail(db, actor, org, id);
  if (imp.status !== 'failed' || !imp.failed_stage) throw new ConflictError('Only a failed import can be tried again.');
  const stage = imp.failed_stage;
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const runId =
      stage === 'check'
        ? await enqueue(tx, checkImport, { importId: id }, { orgId: org.id, createdBy: actor.userId })
        : await enqueue(
            tx,
            applyImport,
            { importId: id, userId: actor.userId },
            { orgId: org.id, createdBy: actor.userId },
          );
    const moved = await tx
      .updateTable('imports')
      .set({
        status: stage === 'check' ? 'checking' : 'importing',
        error: null,
        failed_stage: null,
        ...(stage === 'check' ? { check_run_id: runId } : { apply_run_id: runId }),
        updated_at: sql<Date>`now()`,
      })
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('status', '=', 'failed'), eb('status', '=', stage === 'check' ? 'checking' : 'importing')]),
      )
      // The run that failed is still the import's run: a second click finds the new one and stops.
      .where(
        stage === 'check' ? 'check_run_id' : 'apply_run_id',
        imp[stage === 'check' ? 'check_run_id' : 'apply_run_id'] ? '=' : 'is',
        imp[stage === 'check' ? 'check_run_id' : 'apply_run_id'],
      )
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new ConflictError('This import was already started again.');
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: IMPORT_AUDIT.retried,
      target: { type: 'import', id },
      changes: { stage },
    });
    return { stage };
  });
}

/** "=1+2" in a cell is a formula to a spreadsheet: such cells get a leading apostrophe. */
export function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The rejected rows as CSV (their original columns, then line and reason), streamed page by page. */
export async function rejectedRowsCsv(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
): Promise<{ fileName: string; stream: Readable }> {
  authorize(org, 'import.run');
  const imp = await withOrg(db, org.id, actor.userId, (tx) => importOrThrow(tx, org.id, id));
  const header = imp.header ?? [];
  async function* rows() {
    yield [...header, 'line', 'reason'].map(neutralize);
    let after = 0;
    for (;;) {
      const page = await withOrg(db, org.id, actor.userId, (tx) => q.rejectionsAfter(tx, org.id, id, after, 2000));
      for (const r of page) {
        const cells =
          r.fields && r.fields.length === header.length
            ? r.fields
            : [r.raw, ...Array<string>(Math.max(0, header.length - 1)).fill('')];
        yield [...cells, String(r.line), r.reason].map(neutralize);
      }
      if (page.length < 2000) return;
      after = page[page.length - 1]!.line;
    }
  }
  const stream = Readable.from(rows()).pipe(stringify({ bom: true }));
  return {
    fileName: `${imp.file_name.replace(/\.csv$/i, '')}-rejected-rows.csv`,
    stream: stream as unknown as Readable,
  };
}
