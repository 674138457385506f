import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { TaskRuns } from '../db/generated.ts';
import type { Db } from '../db/pool.ts';
import { withOrg, withUser } from '../db/tenancy.ts';
import type { TaskRun } from '../db/schema.ts';
import type { Tx } from '../db/pool.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { enqueueRunnable, type RunnableTask, type TaskCatalog } from './tasks.ts';

export type TaskStatus = Selectable<TaskRuns>['status'];

/** A run belongs to its org (or to none); row-level security wants that context set. */
export function inRunContext<T>(db: Db, orgId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return orgId ? withOrg(db, orgId, null, fn) : withUser(db, null, fn);
}

/**
 * The run row of a scheduled job (which nobody enqueued), keyed by the job so every retry
 * of it updates the same row.
 */
export async function recordScheduledRun(db: Db, task: RunnableTask, jobId: string, input: unknown): Promise<string> {
  const h = createHash('sha256').update(`scheduled:${task.name}:${jobId}`).digest('hex');
  const runId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  await withUser(db, null, (tx) =>
    tx
      .insertInto('task_runs')
      .values({
        id: runId,
        org_id: null,
        task: task.name,
        input: JSON.stringify(input ?? {}),
        max_attempts: task.maxAttempts,
        job_id: jobId,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  return runId;
}

export async function markRunStarted(db: Db, orgId: string | null, runId: string, attempt: number): Promise<void> {
  await inRunContext(db, orgId, (tx) =>
    tx
      .updateTable('task_runs')
      .set({
        status: 'running',
        attempts: attempt,
        started_at: sql<Date>`coalesce(started_at, now())`,
        updated_at: sql<Date>`now()`,
        error: null,
      })
      .where('id', '=', runId)
      .execute(),
  );
}

export async function markRunFinished(
  db: Db,
  orgId: string | null,
  runId: string,
  outcome: { status: Extract<TaskStatus, 'succeeded' | 'failed' | 'retrying'>; result?: unknown; error?: string },
): Promise<void> {
  const final = outcome.status !== 'retrying';
  await inRunContext(db, orgId, (tx) =>
    tx
      .updateTable('task_runs')
      .set({
        status: outcome.status,
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        error: outcome.error?.slice(0, 2000) ?? null,
        finished_at: final ? sql<Date>`now()` : null,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', runId)
      .execute(),
  );
}

export async function setRunProgress(
  db: Db,
  orgId: string | null,
  runId: string,
  done: number,
  total?: number,
): Promise<void> {
  await inRunContext(db, orgId, (tx) =>
    tx
      .updateTable('task_runs')
      .set({ progress_done: done, progress_total: total ?? null, updated_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute(),
  );
}

/** A run as activity lists show it: who started it, and the run that retried it, if any. */
export type RunRow = TaskRun & { started_by_name: string | null; retried_by: string | null };

/** An org's most recent runs, newest first (the caller's transaction is scoped to the org). */
export function recentRuns(tx: Tx, orgId: string, limit = 20): Promise<RunRow[]> {
  return tx
    .selectFrom('task_runs as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .leftJoin('task_runs as next', 'next.retry_of', 'r.id')
    .selectAll('r')
    .select(['u.name as started_by_name', 'next.id as retried_by'])
    .where('r.org_id', '=', orgId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Enqueues a failed run again as a new run linked to it (the failed run keeps its error, so
 * the history reads true), with the same task and input. Locks the failed run so two clicks
 * give one retry. A run of another org is not found (row-level security hides it too); a run of
 * no org (a scheduled one) is retried outside any org.
 */
export async function retryFailedRun(
  tx: Tx,
  tasks: TaskCatalog,
  orgId: string | null,
  runId: string,
  createdBy: string | null,
): Promise<{ run: TaskRun; newRunId: string }> {
  const run = await tx
    .selectFrom('task_runs')
    .selectAll()
    .where('org_id', 'is not distinct from', orgId)
    .where('id', '=', runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run) throw new NotFoundError('We could not find that task run.');
  if (run.status !== 'failed')
    throw new ConflictError(`This run is ${run.status}; only a run that failed for good can be retried.`);
  const retried = await tx.selectFrom('task_runs').select('id').where('retry_of', '=', runId).executeTakeFirst();
  if (retried) throw new ConflictError('This run was already retried; see the newer run above it.');
  const task = tasks.get(run.task);
  if (!task) throw new ConflictError('This kind of task no longer exists, so it cannot be retried.');
  const newRunId = await enqueueRunnable(tx, task, run.input, { orgId, createdBy, retryOf: runId });
  return { run, newRunId };
}

export async function taskRunCounts(db: Db): Promise<{ status: string; count: number }[]> {
  // task_runs is tenant data (row-level security hides it outside an org), so /metrics counts
  // the queue itself: graphile-worker's jobs, which hold no tenant data.
  const rows = await sql<{ status: string; count: string }>`
    select case when locked_at is not null then 'running'
                when attempts > 0 and attempts < max_attempts then 'retrying'
                when attempts >= max_attempts then 'failed'
                else 'queued' end as status,
           count(*)::text as count
      from graphile_worker.jobs group by 1`.execute(db);
  return rows.rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}
