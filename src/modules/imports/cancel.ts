// An operator stops an import that is stuck checking or importing, from its back-office page. The
// import becomes failed with the stage it stopped in, so the org's "Try again" resumes it; its run
// is stopped (a waiting job fails for good; a job a worker holds ends at its next batch, whose rows
// roll back). In "valid rows" mode the batches committed before the cancel stay imported: the page
// says how many before it happens, and the audit entry records them.
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { ConflictError, NotFoundError } from '../../core/http/errors.ts';
import { stopRun } from '../../core/tasks/run-actions.ts';
import { IMPORT_AUDIT } from './audit.ts';
import { markFailed } from './check.ts';
import { CANCELLED_BY_STAFF, type ImportStatus } from './statuses.ts';

/** The statuses an import can be stopped in: a run works on it. */
export const CANCELLABLE: readonly ImportStatus[] = ['checking', 'importing'];

export type CancelOutcome = { stage: 'check' | 'apply'; run: 'stopped' | 'running' | 'finished'; applied: number };

export async function cancelImport(
  db: Db,
  actor: UserActor,
  orgId: string,
  importId: string,
  seen: string | undefined,
  reason: string,
): Promise<CancelOutcome> {
  return asStaffInOrg(db, actor, orgId, 'staff:operator', async (tx) => {
    const imp = await tx
      .selectFrom('imports')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', importId)
      .forUpdate()
      .executeTakeFirst();
    if (!imp) throw new NotFoundError('There is no such import.');
    if (seen !== undefined && imp.status !== seen)
      throw new ConflictError(`This import is ${imp.status} now, not ${seen} as on the page: nothing was done.`);
    if (!CANCELLABLE.includes(imp.status))
      throw new ConflictError(`An import that is ${imp.status} has nothing running to stop.`);
    const stage = imp.status === 'checking' ? 'check' : 'apply';
    const runId = stage === 'check' ? imp.check_run_id : imp.apply_run_id;
    const run = runId ? await stopRun(tx, runId, `${CANCELLED_BY_STAFF}: ${reason}`) : 'finished';
    const applied = stage === 'apply' && imp.mode === 'valid_rows' ? imp.applied_rows : 0;
    const kept =
      applied > 0
        ? ` ${applied} of ${imp.valid_rows} rows were imported before it stopped; "Try again" resumes after them.`
        : ' No row was imported; "Try again" starts it again.';
    await markFailed(tx, imp, stage, `${CANCELLED_BY_STAFF} (${reason}).${stage === 'apply' ? kept : ''}`, {
      audit: false,
    });
    await recordAudit(tx, {
      orgId,
      actor,
      action: IMPORT_AUDIT.cancelled,
      target: { type: 'import', id: importId },
      changes: { reason, was: imp.status, stage, run_id: runId, run, applied_rows: applied, file: imp.file_name },
    });
    return { stage, run, applied };
  });
}
