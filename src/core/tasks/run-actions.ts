// What operators do to a task run from the back-office: run a retrying one now, run a failed one
// again, cancel one that waits. Each re-reads the staff role and locks the run in its transaction,
// refuses a run that is no longer in the state the operator saw, acts on the run's job through
// graphile-worker's own functions (which leave a job the worker holds alone), and is audited in
// the run's org (or outside any org, for a scheduled run).
import { sql } from 'kysely';
import { requireStaffRole } from '../admin/staff-check.ts';
import { auditActions } from '../audit/actions.ts';
import { recordAudit, type UserActor } from '../audit/audit.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withStaff, withUser } from '../db/tenancy.ts';
import type { TaskRun } from '../db/schema.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { retryFailedRun, type TaskStatus } from './runs.ts';
import { TASK_STATUS_WORDS } from './task-status.ts';
import type { TaskCatalog } from './tasks.ts';

export const TASK_RUN_AUDIT = auditActions('task_run', ['retried', 'cancelled']);

/** Which runs each action applies to: what the record page offers, and what the service accepts. */
export const RUN_ACTIONS = {
  retry: ['failed', 'retrying'],
  cancel: ['queued', 'retrying'],
} as const satisfies Record<string, readonly TaskStatus[]>;

export type RunAction = keyof typeof RUN_ACTIONS;

export const CANCELLED_ERROR = 'Cancelled from the back-office.';

/**
 * The run's org, read through the staff read policy (after the role, so a former operator gets 403,
 * not 404): the action then runs in that org's context, where row-level security lets it write.
 */
async function runOrg(db: Db, actor: UserActor, runId: string): Promise<string | null> {
  const run = await withStaff(db, actor.userId, async (tx) => {
    await requireStaffRole(tx, actor, 'staff:operator');
    return tx.selectFrom('task_runs').select('org_id').where('id', '=', runId).executeTakeFirst();
  });
  if (!run) throw new NotFoundError('There is no such task run.');
  return run.org_id;
}

type Job = { id: string; locked_at: Date | null; run_at: Date; attempts: number; max_attempts: number };

/** The run's graphile-worker job, locked so that no worker takes it while the action decides. */
export async function jobOfRun(tx: Tx, run: Pick<TaskRun, 'id' | 'job_id'>, lock = true): Promise<Job | null> {
  const rows = await sql<Job>`
    select id::text as id, locked_at, run_at, attempts, max_attempts from graphile_worker._private_jobs
     where id = ${run.job_id}::bigint or (${run.job_id}::bigint is null and payload->>'runId' = ${run.id})
     ${lock ? sql`for update` : sql``}`.execute(tx);
  return rows.rows[0] ?? null;
}

/** Locks the run and refuses it unless it is still as the operator saw it, and the action fits. */
async function lockedRun(tx: Tx, runId: string, seen: TaskStatus, action: RunAction): Promise<TaskRun> {
  const run = await tx.selectFrom('task_runs').selectAll().where('id', '=', runId).forUpdate().executeTakeFirst();
  if (!run) throw new NotFoundError('There is no such task run.');
  if (run.status !== seen)
    throw new ConflictError(
      `This run is ${TASK_STATUS_WORDS[run.status]} now, not ${TASK_STATUS_WORDS[seen]} as on the page you acted from: nothing was done. Open it again to see where it is.`,
    );
  if (!(RUN_ACTIONS[action] as readonly TaskStatus[]).includes(run.status))
    throw new ConflictError(
      `A run that is ${TASK_STATUS_WORDS[run.status]} cannot be ${action === 'retry' ? 'retried' : 'cancelled'}.`,
    );
  return run;
}

/** The job, free: a job the worker holds (or that is gone) cannot be moved from here. */
async function freeJob(tx: Tx, run: TaskRun): Promise<Job> {
  const job = await jobOfRun(tx, run);
  if (!job)
    throw new ConflictError('Its job is no longer in the queue (the worker finished with it): nothing was done.');
  if (job.locked_at)
    throw new ConflictError('A worker is running it right now: nothing was done. Look again in a minute.');
  return job;
}

/**
 * Stops a module's run from inside the module's own staff action (cancelling its import or export),
 * in the caller's transaction: a job that waits is failed for good with its run; a job a worker holds
 * is left to the task, which finds its work cancelled at its next step and ends (TaskCancelled).
 */
export async function stopRun(tx: Tx, runId: string, error: string): Promise<'stopped' | 'running' | 'finished'> {
  const run = await tx.selectFrom('task_runs').selectAll().where('id', '=', runId).forUpdate().executeTakeFirst();
  if (!run || run.status === 'succeeded' || run.status === 'failed') return 'finished';
  const job = await jobOfRun(tx, run);
  if (!job) return 'finished';
  if (job.locked_at) return 'running';
  await sql`select id from graphile_worker.permanently_fail_jobs(array[${job.id}]::bigint[], ${error})`.execute(tx);
  await tx
    .updateTable('task_runs')
    .set({ status: 'failed', error, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', runId)
    .execute();
  return 'stopped';
}

async function asStaffInRunOrg<T>(db: Db, actor: UserActor, runId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const orgId = await runOrg(db, actor, runId);
  const body = async (tx: Tx) => {
    await requireStaffRole(tx, actor, 'staff:operator');
    return fn(tx);
  };
  return orgId ? withOrg(db, orgId, actor.userId, body) : withUser(db, actor.userId, body);
}

export type RetryOutcome = { kind: 'now' } | { kind: 'new run'; runId: string };

/**
 * A run waiting to retry runs now (its job is rescheduled to this moment, its attempts kept); a run
 * that failed for good runs again as a new run linked to it, as the org's Activity page does it.
 */
export async function retryRunNow(
  db: Db,
  tasks: TaskCatalog,
  actor: UserActor,
  runId: string,
  seen: TaskStatus,
): Promise<RetryOutcome> {
  return asStaffInRunOrg(db, actor, runId, async (tx) => {
    const run = await lockedRun(tx, runId, seen, 'retry');
    const target = { type: 'task_run', id: runId };
    if (run.status === 'failed') {
      const { newRunId } = await retryFailedRun(tx, tasks, run.org_id, runId, actor.userId);
      const changes = { task: run.task, how: 'new run', new_run_id: newRunId, error: run.error };
      await recordAudit(tx, { orgId: run.org_id, actor, action: TASK_RUN_AUDIT.retried, target, changes });
      return { kind: 'new run', runId: newRunId };
    }
    const job = await freeJob(tx, run);
    await sql`select id from graphile_worker.reschedule_jobs(array[${job.id}]::bigint[], run_at => now())`.execute(tx);
    await tx
      .updateTable('task_runs')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute();
    const changes = { task: run.task, how: 'now', job_id: job.id, was_due_at: job.run_at.toISOString() };
    await recordAudit(tx, { orgId: run.org_id, actor, action: TASK_RUN_AUDIT.retried, target, changes });
    return { kind: 'now' };
  });
}

/** A queued or retrying run never runs: its job is failed for good, and so is the run. */
export async function cancelRun(db: Db, actor: UserActor, runId: string, seen: TaskStatus): Promise<void> {
  await asStaffInRunOrg(db, actor, runId, async (tx) => {
    const run = await lockedRun(tx, runId, seen, 'cancel');
    const job = await freeJob(tx, run);
    await sql`select id from graphile_worker.permanently_fail_jobs(array[${job.id}]::bigint[], ${CANCELLED_ERROR})`.execute(
      tx,
    );
    await tx
      .updateTable('task_runs')
      .set({ status: 'failed', error: CANCELLED_ERROR, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute();
    const changes = { task: run.task, was: run.status, job_id: job.id };
    await recordAudit(tx, {
      orgId: run.org_id,
      actor,
      action: TASK_RUN_AUDIT.cancelled,
      target: { type: 'task_run', id: runId },
      changes,
    });
  });
}
