import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { withOrg, withUser } from '../db/tenancy.ts';
import type { TaskRun, TaskStatus } from '../db/schema.ts';
import type { Tx } from '../db/pool.ts';
import type { RunnableTask } from './tasks.ts';

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
      .values({ id: runId, org_id: null, task: task.name, input: JSON.stringify(input ?? {}), max_attempts: task.maxAttempts })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  return runId;
}

export async function markRunStarted(db: Db, orgId: string | null, runId: string, attempt: number): Promise<void> {
  await inRunContext(db, orgId, (tx) =>
    tx
      .updateTable('task_runs')
      .set({ status: 'running', attempts: attempt, started_at: sql<Date>`coalesce(started_at, now())`, updated_at: sql<Date>`now()`, error: null })
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

export async function setRunProgress(db: Db, orgId: string | null, runId: string, done: number, total?: number): Promise<void> {
  await inRunContext(db, orgId, (tx) =>
    tx
      .updateTable('task_runs')
      .set({ progress_done: done, progress_total: total ?? null, updated_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute(),
  );
}

/** An org's most recent runs, newest first (the caller's transaction is scoped to the org). */
export function recentRuns(tx: Tx, orgId: string, limit = 20): Promise<TaskRun[]> {
  return tx.selectFrom('task_runs').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(limit).execute();
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
