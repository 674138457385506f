import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { Logger, parseCronItems, run, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { FastifyBaseLogger } from 'fastify';
import type { AppServices } from '../app-services.ts';
import { createPool, type Db } from '../db/pool.ts';
import { tasksCompleted } from '../observability/metrics.ts';
import { TaskCancelled, type RunnableTask, type Schedule } from './tasks.ts';
import { inRunContext, markRunFinished, markRunStarted, recordScheduledRun, setRunProgress } from './runs.ts';

type Payload = { runId: string; orgId: string | null; input: unknown };
/** What graphile-worker's cron puts in a scheduled job: our input, and its own `_cron` record. */
type CronPayload = { scheduled: true; input: unknown; _cron: { ts: string } };

function isPayload(p: unknown): p is Payload {
  return !!p && typeof p === 'object' && typeof (p as Payload).runId === 'string' && 'input' in p;
}

function isCronPayload(p: unknown): p is CronPayload {
  return (
    !!p &&
    typeof p === 'object' &&
    (p as CronPayload).scheduled === true &&
    typeof (p as CronPayload)._cron === 'object'
  );
}

const HEARTBEAT_MS = 10_000;

/** Adapts one of our tasks to graphile-worker: the run row mirrors every attempt. */
function wrap(task: RunnableTask, db: Db, services: AppServices, log: FastifyBaseLogger): Task {
  return async (raw, helpers) => {
    // A scheduled job has no run row yet: it gets one, the same one on every attempt of the job.
    const payload = isCronPayload(raw)
      ? { runId: await recordScheduledRun(db, task, helpers.job.id, raw.input), orgId: null, input: raw.input }
      : raw;
    if (!isPayload(payload)) {
      log.error({ task: task.name, jobId: helpers.job.id }, 'task payload has no run id; dropping job');
      return;
    }
    const { runId, orgId } = payload;
    const attempt = helpers.job.attempts;
    const maxAttempts = helpers.job.max_attempts;
    await markRunStarted(db, orgId, runId, attempt);
    try {
      const result = await task.execute(payload.input, {
        ...services,
        runId,
        orgId,
        attempt,
        maxAttempts,
        db,
        transaction: (fn) => inRunContext(db, orgId, fn),
        progress: (done, total) => setRunProgress(db, orgId, runId, done, total),
      });
      await markRunFinished(db, orgId, runId, { status: 'succeeded', result: result ?? undefined });
      tasksCompleted.inc({ task: task.name, outcome: 'succeeded' });
    } catch (err) {
      if (err instanceof TaskCancelled) {
        // Stopped from outside while it ran: the job ends here (returning completes it), no retry.
        await markRunFinished(db, orgId, runId, { status: 'failed', error: err.message });
        tasksCompleted.inc({ task: task.name, outcome: 'failed' });
        log.info({ task: task.name, runId, attempt }, 'task stopped: its work was cancelled');
        return;
      }
      const final = attempt >= maxAttempts;
      const message = err instanceof Error ? err.message : String(err);
      await markRunFinished(db, orgId, runId, { status: final ? 'failed' : 'retrying', error: message });
      tasksCompleted.inc({ task: task.name, outcome: final ? 'failed' : 'retrying' });
      log.warn(
        { task: task.name, runId, attempt, maxAttempts, err },
        final ? 'task failed for good' : 'task failed; will retry',
      );
      throw err;
    }
  };
}

function workerLogger(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const obj = { scope, ...meta };
    const name: string = level; // LogLevel is a const enum of these strings
    if (name === 'error') log.error(obj, message);
    else if (name === 'warning') log.warn(obj, message);
    else log.debug(obj, message);
  });
}

export type Worker = { id: string; runner: Runner; stop: () => Promise<void> };

/**
 * Runs graphile-worker with our tasks on its own pool (which we create and end, so a
 * shutdown never leaves a pool behind), and keeps a heartbeat row fresh for /readyz.
 */
export async function startWorker(opts: {
  connectionString: string;
  db: Db;
  /** What every task run gets on its context, beside the run's own facts. */
  services: AppServices;
  tasks: readonly RunnableTask[];
  concurrency: number;
  log: FastifyBaseLogger;
  pollInterval?: number;
  schedules?: readonly Schedule[];
}): Promise<Worker> {
  const log = opts.log.child({ component: 'worker' });
  const pool = createPool(opts.connectionString, opts.concurrency + 2, log, 'ledgerworks-worker');
  const taskList: TaskList = Object.fromEntries(opts.tasks.map((t) => [t.name, wrap(t, opts.db, opts.services, log)]));
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const beat = () =>
    sql`insert into worker_heartbeats (worker_id, hostname, pid) values (${id}, ${hostname()}, ${process.pid})
        on conflict (worker_id) do update set last_seen_at = now()`
      .execute(opts.db)
      .catch((err: unknown) => log.error({ err }, 'worker heartbeat failed'));
  await beat();
  const runner = await run({
    pgPool: pool,
    concurrency: opts.concurrency,
    taskList,
    noHandleSignals: true,
    logger: workerLogger(log),
    pollInterval: opts.pollInterval ?? 2000,
    parsedCronItems: parseCronItems(
      (opts.schedules ?? []).map((sc) => ({
        task: sc.task.name,
        match: sc.cron,
        identifier: sc.identifier,
        options: { backfillPeriod: (sc.backfillHours ?? 0) * 3600_000, maxAttempts: sc.task.maxAttempts },
        payload: { scheduled: true, input: sc.input },
      })),
    ),
  });
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  let stopped = false;
  timer.unref();
  log.info({ workerId: id, tasks: Object.keys(taskList) }, 'worker started');
  return {
    id,
    runner,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await runner.stop();
      await sql`delete from worker_heartbeats where worker_id = ${id}`.execute(opts.db).catch(() => undefined);
      await pool.end();
    },
  };
}
