// An operator stops an export that is stuck waiting or building, from its back-office page. The
// export becomes cancelled (no file, never downloadable, shown to the org as stopped by support);
// a waiting run fails for good with its job, and a build a worker runs ends at its next batch and
// deletes its partial file (build-export.ts).
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { ConflictError, NotFoundError } from '../../core/http/errors.ts';
import { stopRun } from '../../core/tasks/run-actions.ts';
import { TaskCancelled } from '../../core/tasks/tasks.ts';
import { EXPORT_AUDIT } from './audit.ts';

/** The statuses an export can be stopped in: its file is not built yet. */
export const CANCELLABLE = ['queued', 'running'] as const;

export function isCancellable(status: string): status is (typeof CANCELLABLE)[number] {
  return (CANCELLABLE as readonly string[]).includes(status);
}

/** What the build throws when it finds its export cancelled under it. */
export function exportStopped(): TaskCancelled {
  return new TaskCancelled(
    'Stopped by Ledgerworks support while the file was being built; the partial file is deleted.',
  );
}

export async function cancelExport(
  db: Db,
  actor: UserActor,
  orgId: string,
  exportId: string,
  seen: string | undefined,
  reason: string,
): Promise<{ run: 'stopped' | 'running' | 'finished' }> {
  return asStaffInOrg(db, actor, orgId, 'staff:operator', async (tx) => {
    const e = await tx
      .selectFrom('exports')
      .select(['id', 'kind', 'status', 'run_id'])
      .where('org_id', '=', orgId)
      .where('id', '=', exportId)
      .forUpdate()
      .executeTakeFirst();
    if (!e) throw new NotFoundError('There is no such export.');
    if (seen !== undefined && e.status !== seen)
      throw new ConflictError(`This export is ${e.status} now, not ${seen} as on the page: nothing was done.`);
    if (!isCancellable(e.status)) throw new ConflictError(`An export that is ${e.status} has nothing to stop.`);
    const run = e.run_id ? await stopRun(tx, e.run_id, `Stopped by Ledgerworks support: ${reason}`) : 'finished';
    await tx
      .updateTable('exports')
      .set({ status: 'cancelled', finished_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', '=', exportId)
      .execute();
    await recordAudit(tx, {
      orgId,
      actor,
      action: EXPORT_AUDIT.cancelled,
      target: { type: 'export', id: exportId },
      changes: { reason, kind: e.kind, was: e.status, run_id: e.run_id, run },
    });
    return { run };
  });
}
