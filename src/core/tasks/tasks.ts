import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppServices } from '../app-services.ts';
import type { Db, Tx } from '../db/pool.ts';

/** A run's own facts, and the services of the app whose worker runs it (settings, links, secrets, mail). */
export type TaskContext = AppServices & {
  runId: string;
  orgId: string | null;
  attempt: number;
  maxAttempts: number;
  db: Db;
  /** A transaction in the run's org (row-level security set up as for a request). */
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** Records progress a person can watch (done of total). */
  progress: (done: number, total?: number) => Promise<void>;
};

type TaskResult = Record<string, unknown> | void;

/**
 * Thrown by a task that finds its work was stopped while it ran (staff cancelled the import or the
 * export it builds): the run ends as failed with this message, for good, and is not retried.
 */
export class TaskCancelled extends Error {
  override name = 'TaskCancelled';
}

export type TaskSpec<I> = {
  name: string;
  /** Human label for activity lists. */
  label: string;
  input: z.ZodType<I>;
  maxAttempts: number;
  run: (input: I, ctx: TaskContext) => Promise<TaskResult>;
};

/** What the worker needs of any task, whatever its input type. */
export type RunnableTask = {
  name: string;
  label: string;
  maxAttempts: number;
  /** Validates the stored input against the task's schema, then runs it. */
  execute: (input: unknown, ctx: TaskContext) => Promise<TaskResult>;
};

export type TaskDef<I> = TaskSpec<I> & RunnableTask;

export function defineTask<I>(spec: TaskSpec<I>): TaskDef<I> {
  if (!/^[a-z]+(\.[a-z_]+)+$/.test(spec.name))
    throw new Error(`task name ${spec.name} must look like module.verb_noun`);
  return { ...spec, execute: (input, ctx) => spec.run(spec.input.parse(input), ctx) };
}

export type EnqueueOptions = {
  /** The org the run belongs to; must be the org of the transaction (row-level security checks it). */
  orgId: string | null;
  createdBy?: string | null;
  runAt?: Date;
  /** The failed run this one retries (the Activity page's Retry). */
  retryOf?: string;
};

/**
 * Records a run and adds its job inside the caller's transaction: if the change rolls
 * back, the job never existed.
 */
export async function enqueue<I>(tx: Tx, task: TaskDef<I>, input: NoInfer<I>, opts: EnqueueOptions): Promise<string> {
  return enqueueRunnable(tx, task, task.input.parse(input), opts);
}

/** As enqueue, for a task known only by its registry entry; the worker validates the input when it runs. */
export async function enqueueRunnable(
  tx: Tx,
  task: RunnableTask,
  input: unknown,
  opts: EnqueueOptions,
): Promise<string> {
  if (!tx.isTransaction) throw new Error('enqueue must run inside the transaction of the change that needs it');
  const runId = randomUUID();
  const payload = JSON.stringify({ runId, orgId: opts.orgId, input });
  const job = await sql<{ id: string }>`select (graphile_worker.add_job(
      identifier => ${task.name},
      payload => ${payload}::json,
      max_attempts => ${task.maxAttempts},
      run_at => ${opts.runAt ?? null}
    )).id`.execute(tx);
  await tx
    .insertInto('task_runs')
    .values({
      id: runId,
      org_id: opts.orgId,
      task: task.name,
      input: JSON.stringify(input),
      max_attempts: task.maxAttempts,
      created_by: opts.createdBy ?? null,
      retry_of: opts.retryOf ?? null,
      job_id: job.rows[0]!.id,
    })
    .execute();
  return runId;
}

/** The tasks an app runs, by name: what activity lists call them, what a retry enqueues. */
export type TaskCatalog = {
  readonly list: readonly RunnableTask[];
  get: (name: string) => RunnableTask | undefined;
  /** "Send email" rather than mail.deliver; an unknown task (renamed since) keeps its name. */
  label: (name: string) => string;
};

export function taskCatalog(tasks: readonly RunnableTask[]): TaskCatalog {
  const byName = new Map<string, RunnableTask>();
  for (const t of tasks) {
    if (byName.has(t.name)) throw new Error(`two tasks are named ${t.name}`);
    byName.set(t.name, t);
  }
  return { list: tasks, get: (name) => byName.get(name), label: (name) => byName.get(name)?.label ?? name };
}

/**
 * A task the worker runs on a schedule (graphile-worker cron: at most one job per tick across
 * every worker, catching up after downtime within `backfillHours`). Scheduled runs belong to no
 * org; a task that works per org enqueues one run per org from there.
 */
export type Schedule = {
  /** Stable name: renaming it makes graphile-worker treat it as a new schedule. */
  identifier: string;
  /** Cron pattern in UTC, e.g. '0 3 * * *'. */
  cron: string;
  task: RunnableTask;
  input: unknown;
  backfillHours?: number;
};

export function defineSchedule<I>(s: {
  identifier: string;
  cron: string;
  task: TaskDef<I>;
  input: I;
  backfillHours?: number;
}): Schedule {
  return { ...s, input: s.task.input.parse(s.input) };
}
