// Exports: the org's data as CSV. A small export streams straight back as the response; a large
// one is built as a file by a task, downloadable for a day. Every export is audited: who took
// which data, with which filters, and every download of a built file.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { recordAudit, SYSTEM_ACTOR, type UserActor } from '../../core/audit/audit.ts';
import { csvStream } from '../../core/csv.ts';
import type { Db } from '../../core/db/pool.ts';
import { EXPORT_KINDS, type ExportKind } from './kinds.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { downloadName, exportRows, filePath } from './files.ts';
import { authorize, canExport, canExportAnything } from './policy.ts';
import * as q from './queries.ts';
import { SOURCES } from './sources.ts';
import { buildExport } from './tasks.ts';
import { EXPORT_AUDIT } from './audit.ts';

export { canExport, canExportAnything } from './policy.ts';

/** A built file whose day is over: the link answers 410 Gone, with how to get a fresh one. */
export class ExportExpiredError extends DomainError {
  override readonly statusCode = 410;
  constructor() {
    super('This export has expired: export files are kept for 24 hours. Export the data again for a fresh file.');
  }
}

export type ExportStarted =
  { outcome: 'stream'; id: string; filename: string; body: Readable } | { outcome: 'queued'; id: string; rows: number };

/**
 * Starts an export of `kind` with `filters` (already validated by the caller's schema). Up to
 * EXPORT_DIRECT_MAX_ROWS rows stream back at once; more become a task whose file the exports
 * page offers when it is ready.
 */
export async function startExport(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  kind: ExportKind,
  filters: Record<string, unknown>,
  /** EXPORT_DIRECT_MAX_ROWS: up to this many rows stream at once; more become a file built in the background. */
  directMaxRows: number,
): Promise<ExportStarted> {
  authorize(org, `export.${kind}`);
  const source = SOURCES[kind];
  const started = await withOrg(db, org.id, actor.userId, async (tx) => {
    const rows = await source.count(tx, org.id, filters, actor.userId);
    const direct = rows <= directMaxRows;
    const id = await q.insertExport(tx, {
      orgId: org.id,
      kind,
      filters,
      status: direct ? 'streamed' : 'queued',
      rowCount: direct ? rows : null,
      createdBy: actor.userId,
    });
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: EXPORT_AUDIT.created,
      target: { type: 'export', id },
      changes: { kind, filters, rows, delivery: direct ? 'download' : 'file' },
    });
    if (!direct)
      await q.setRunId(
        tx,
        org.id,
        id,
        await enqueue(tx, buildExport, { exportId: id }, { orgId: org.id, createdBy: actor.userId }),
      );
    return { id, rows, direct };
  });
  if (!started.direct) return { outcome: 'queued', id: started.id, rows: started.rows };
  const rows = exportRows(db, { orgId: org.id, userId: actor.userId, kind, filters });
  return {
    outcome: 'stream',
    id: started.id,
    filename: downloadName(kind, new Date()),
    body: csvStream(source.header, rows),
  };
}

/**
 * What an export of `kind` with `filters` would hold, before anything is made: the page a link to
 * an export opens (a GET changes nothing; the export itself is a POST from that page's button).
 */
export async function exportPreview(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  kind: ExportKind,
  filters: Record<string, unknown>,
  directMaxRows: number,
): Promise<{ rows: number; direct: boolean }> {
  authorize(org, `export.${kind}`);
  const rows = await withOrg(db, org.id, actor.userId, (tx) => SOURCES[kind].count(tx, org.id, filters, actor.userId));
  return { rows, direct: rows <= directMaxRows };
}

/** The file of a built export, for someone who may export its kind; audited as a download. */
export async function downloadExport(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  uploadDir: string,
): Promise<{ filename: string; size: number; body: Readable }> {
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const e = await q.exportById(tx, org.id, id);
    if (!e) throw new NotFoundError();
    authorize(org, `export.${e.kind}`);
    if (e.status === 'expired' || e.is_expired) throw new ExportExpiredError();
    if (e.status === 'streamed')
      throw new ConflictError(
        'This export was sent as a download when it was made, and no file was kept. Export the data again.',
      );
    if (e.status === 'cancelled')
      throw new ConflictError(
        'Ledgerworks support stopped this export before its file was built. Export the data again.',
      );
    if (e.status !== 'ready' || !e.file_key)
      throw new ConflictError('This export is still being prepared. The exports page shows its progress.');
    const file = filePath(uploadDir, e.file_key);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw new ExportExpiredError();
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: EXPORT_AUDIT.downloaded,
      target: { type: 'export', id },
      changes: { kind: e.kind, rows: e.row_count },
    });
    return { filename: downloadName(e.kind, e.created_at), size, body: createReadStream(file) };
  });
}

/** The org's recent exports of the kinds this person may export. */
export async function exportsOverview(db: Db, actor: UserActor, org: OrgContext) {
  if (!canExportAnything(org)) throw new ForbiddenError();
  const kinds = EXPORT_KINDS.filter((k) => canExport(org, k));
  const exports = await withOrg(db, org.id, actor.userId, (tx) => q.listExports(tx, org.id, kinds, 100));
  return { exports, kinds };
}

/** One export as it is now (the exports page polls a running one). */
export async function exportStatus(db: Db, actor: UserActor, org: OrgContext, id: string) {
  const e = await withOrg(db, org.id, actor.userId, (tx) => q.exportById(tx, org.id, id));
  if (!e) throw new NotFoundError();
  authorize(org, `export.${e.kind}`);
  return e;
}

/**
 * Housekeeping: deletes every org's export files past their expiry and marks their exports
 * expired (audited per org). Safe to run again after a crash: a missing file is fine.
 */
export async function deleteExpiredExports(db: Db, uploadDir: string): Promise<{ deleted: number }> {
  const files = await withUser(db, null, (tx) => q.expiredExportFiles(tx));
  let deleted = 0;
  for (const f of files) {
    await rm(filePath(uploadDir, f.file_key), { force: true });
    await withOrg(db, f.org_id, null, async (tx) => {
      if (!(await q.markExpired(tx, f.org_id, f.id))) return;
      await recordAudit(tx, {
        orgId: f.org_id,
        actor: SYSTEM_ACTOR,
        action: EXPORT_AUDIT.expired,
        target: { type: 'export', id: f.id },
        changes: { file: 'deleted' },
      });
      deleted += 1;
    });
  }
  return { deleted };
}

export type ExportView = q.ExportRow;
export { exportPaths } from './paths.ts';
