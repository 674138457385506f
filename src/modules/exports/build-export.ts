// Building a large export as a file (the body of the exports.build task): rows streamed from
// the database into the file, progress recorded per batch, the file valid for VALID_HOURS.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { recordAudit, SYSTEM_ACTOR } from '../../core/audit/audit.ts';
import { csvStream } from '../../core/csv.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { TaskCancelled } from '../../core/tasks/tasks.ts';
import { exportStopped } from './cancel.ts';
import { filtersToApply } from './filters.ts';
import { exportRows, fileKeyFor, filePath, VALID_HOURS } from './files.ts';
import * as q from './queries.ts';
import { SOURCES } from './sources.ts';
import { EXPORT_AUDIT } from './audit.ts';

export type BuildResult = { rows: number; size: number } | { skipped: string };

export async function buildExportFile(
  db: Db,
  uploadDir: string,
  orgId: string,
  exportId: string,
  progress: (done: number, total?: number) => Promise<void>,
): Promise<BuildResult> {
  const e = await withOrg(db, orgId, null, (tx) => q.exportById(tx, orgId, exportId));
  // A retry after the file was recorded, or an export deleted with its org: nothing to do.
  if (!e) return { skipped: 'gone' };
  if (e.status !== 'queued' && e.status !== 'running') return { skipped: e.status };
  const source = SOURCES[e.kind];
  const filters = filtersToApply(e.filters);
  const total = await withOrg(db, orgId, e.created_by, async (tx) => {
    await q.markRunning(tx, orgId, exportId);
    return source.count(tx, orgId, filters, e.created_by);
  });
  await progress(0, total);

  const key = fileKeyFor(orgId, exportId);
  const final = filePath(uploadDir, key);
  // Written under a temporary name and renamed when complete: a crash never leaves a half file
  // behind the download link (a retry starts the .part again).
  const part = `${final}.part`;
  await mkdir(path.dirname(final), { recursive: true });
  let done = 0;
  const rows = exportRows(
    db,
    { orgId, userId: e.created_by, kind: e.kind, filters },
    {
      onBatch: async (n) => {
        done += n;
        await progress(done, Math.max(total, done));
        // Staff may stop a build: it ends at the next batch rather than writing the rest.
        const now = await withOrg(db, orgId, null, (tx) => q.exportStatusOf(tx, orgId, exportId));
        if (now === 'cancelled') throw exportStopped();
      },
    },
  );
  try {
    await pipeline(csvStream(source.header, rows), createWriteStream(part));
  } catch (err) {
    if (err instanceof TaskCancelled) await rm(part, { force: true });
    throw err;
  }
  await rename(part, final);
  const { size } = await stat(final);
  await withOrg(db, orgId, null, async (tx) => {
    const ready = await q.markReady(tx, orgId, exportId, { fileKey: key, rows: done, size, validHours: VALID_HOURS });
    if (!ready && (await q.exportStatusOf(tx, orgId, exportId)) === 'cancelled') {
      await rm(final, { force: true });
      throw exportStopped();
    }
    if (ready) {
      await recordAudit(tx, {
        orgId,
        actor: SYSTEM_ACTOR,
        action: EXPORT_AUDIT.file_ready,
        target: { type: 'export', id: exportId },
        changes: { kind: e.kind, rows: done, size },
      });
    }
  });
  return { rows: done, size };
}
